/**
 * Production setup: creates a clinic (if new) and its first ADMIN from the command line.
 *   npm run admin:create -- --clinic "Northside Family Practice" --email a@b.org --name "Sam Lee"
 * The password is read from the ADMIN_PASSWORD environment variable, never from argv (argv
 * shows up in process lists and shell history).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { db } from "../server/db.ts";
import { hashPassword } from "../server/auth/password.ts";

const { values } = parseArgs({ options: { clinic: { type: "string" }, email: { type: "string" }, name: { type: "string" } } });
const input = z
  .object({
    clinic: z.string({ error: "--clinic is required" }).trim().min(1, "--clinic is required"),
    email: z.string({ error: "--email is required" }).trim().toLowerCase().email("--email must be an email address"),
    name: z.string({ error: "--name is required" }).trim().min(1, "--name is required"),
    password: z.string({ error: "ADMIN_PASSWORD is required" }).min(12, "ADMIN_PASSWORD must be at least 12 characters"),
  })
  .safeParse({ ...values, password: process.env.ADMIN_PASSWORD });
if (!input.success) {
  console.error(`carelane: ${input.error.issues[0]!.message}`);
  process.exit(1);
}
const { clinic: clinicName, email, name, password } = input.data;
const slug = clinicName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const clinic = await db.clinic.upsert({ where: { slug }, update: {}, create: { name: clinicName, slug }, select: { id: true } });
if (await db.user.count({ where: { email } })) {
  console.error(`carelane: a user with email ${email} already exists`);
  process.exit(1);
}
await db.user.create({ data: { clinicId: clinic.id, email, name, role: "ADMIN", passwordHash: await hashPassword(password) } });
console.log(`Created ADMIN ${email} for clinic '${clinicName}'.`);
await db.$disconnect();
