import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env.ts";

/**
 * Field-level encryption for sensitive identifiers (SSN, licence numbers): AES-256-GCM with a
 * random 96-bit IV per value and the record's identity as additional authenticated data, so a
 * ciphertext copied onto another patient fails to decrypt. Each stored value names its key id;
 * retired keys stay readable through FIELD_ENCRYPTION_OLD_KEYS ("k0:base64,k00:base64").
 */
const keys = new Map<string, Buffer>([[env.FIELD_ENCRYPTION_KEY_ID, Buffer.from(env.FIELD_ENCRYPTION_KEY, "base64")]]);
for (const entry of (process.env.FIELD_ENCRYPTION_OLD_KEYS ?? "").split(",").filter(Boolean)) {
  const [id, value] = entry.split(":");
  if (id && value && Buffer.from(value, "base64").length === 32) keys.set(id, Buffer.from(value, "base64"));
}

// A separate key for lookup hashes, derived so the encryption key itself never hashes data.
const lookupKey = Buffer.from(hkdfSync("sha256", keys.get(env.FIELD_ENCRYPTION_KEY_ID)!, Buffer.alloc(0), "carelane:identifier-lookup", 32));

export interface Sealed {
  keyId: string;
  /** base64url "iv.tag.ciphertext" */
  ciphertext: string;
}

export function seal(plaintext: string, context: string): Sealed {
  const keyId = env.FIELD_ENCRYPTION_KEY_ID;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.get(keyId)!, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { keyId, ciphertext: [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".") };
}

export function open(sealed: Sealed, context: string): string {
  const key = keys.get(sealed.keyId);
  if (!key) throw new Error(`field encryption key '${sealed.keyId}' is not configured`);
  const [iv, tag, body] = sealed.ciphertext.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !body) throw new Error("malformed ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}

/** Deterministic keyed hash of a normalised value: finds duplicates without decrypting anything. */
export function lookupHash(kind: string, normalised: string): string {
  return createHmac("sha256", lookupKey).update(`${kind}\u0000${normalised}`).digest("base64url");
}
