import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db } from "../../db.ts";
import { DomainError, notFound } from "../../errors.ts";
import type { addExceptionInput, appointmentTypeInput, setAvailabilityInput, upsertProviderInput } from "./schemas.ts";

/** The clinic's locations with what the scheduling screens need: the wall-clock zone and the rooms. */
export async function listLocations(actor: ScopedActor) {
  return db.location.findMany({ where: { clinicId: actor.clinicId }, select: { id: true, name: true, timeZone: true, rooms: true }, orderBy: { name: "asc" } });
}

export async function listProviders(actor: ScopedActor) {
  const rows = await db.provider.findMany({
    where: { clinicId: actor.clinicId },
    select: { id: true, npi: true, specialty: true, color: true, active: true, user: { select: { id: true, name: true } } },
    orderBy: { user: { name: "asc" } },
  });
  return rows.map(({ user, ...p }) => ({ ...p, userId: user.id, name: user.name }));
}

export async function upsertProvider(actor: ScopedActor, input: z.output<typeof upsertProviderInput>) {
  const user = await db.user.findFirst({ where: { id: input.userId, clinicId: actor.clinicId, role: { in: ["PHYSICIAN", "NURSE"] } }, select: { id: true, name: true } });
  if (!user) throw new DomainError("BAD_REQUEST", "Only physicians and nurses of this clinic can be providers.", { userId: ["not a clinician of this clinic"] });
  const clash = await db.provider.findFirst({ where: { npi: input.npi, userId: { not: input.userId } }, select: { id: true } });
  if (clash) throw new DomainError("CONFLICT", "That NPI belongs to another provider.", { npi: ["already in use"] });
  return db.$transaction(async (tx) => {
    const provider = await tx.provider.upsert({
      where: { userId: input.userId },
      create: { clinicId: actor.clinicId, userId: input.userId, npi: input.npi, specialty: input.specialty, color: input.color, active: input.active },
      update: { npi: input.npi, specialty: input.specialty, color: input.color, active: input.active },
      select: { id: true, npi: true, specialty: true, color: true, active: true },
    });
    await audit(tx, actor, { action: "scheduling.setup.upsertProvider", resourceType: "Provider", resourceId: provider.id });
    return { ...provider, userId: user.id, name: user.name };
  });
}

export async function listAppointmentTypes(actor: ScopedActor) {
  return db.appointmentType.findMany({ where: { clinicId: actor.clinicId, active: true }, select: { id: true, name: true, durationMinutes: true, color: true }, orderBy: { name: "asc" } });
}

export async function createAppointmentType(actor: ScopedActor, input: z.output<typeof appointmentTypeInput>) {
  if (await db.appointmentType.count({ where: { clinicId: actor.clinicId, name: input.name } })) {
    throw new DomainError("CONFLICT", `An appointment type named ${input.name} already exists.`, { name: ["already exists"] });
  }
  return db.$transaction(async (tx) => {
    const type = await tx.appointmentType.create({ data: { clinicId: actor.clinicId, ...input }, select: { id: true, name: true, durationMinutes: true, color: true } });
    await audit(tx, actor, { action: "scheduling.setup.createAppointmentType", resourceType: "AppointmentType", resourceId: type.id });
    return type;
  });
}

async function checkProviderAndLocation(clinicId: string, providerId: string, locationId: string | null | undefined) {
  const [provider, location] = await Promise.all([
    db.provider.count({ where: { id: providerId, clinicId } }),
    locationId ? db.location.count({ where: { id: locationId, clinicId } }) : 1,
  ]);
  if (!provider) throw notFound("Provider");
  if (!location) throw notFound("Location");
}

/** Replaces a provider's weekly hours at one location. */
export async function setAvailability(actor: ScopedActor, input: z.output<typeof setAvailabilityInput>) {
  await checkProviderAndLocation(actor.clinicId, input.providerId, input.locationId);
  for (const weekday of new Set(input.blocks.map((b) => b.weekday))) {
    const day = input.blocks.filter((b) => b.weekday === weekday).sort((a, b) => a.startTime.localeCompare(b.startTime));
    for (let i = 1; i < day.length; i++) {
      if (day[i]!.startTime < day[i - 1]!.endTime) throw new DomainError("BAD_REQUEST", "Hours on the same day must not overlap.", { blocks: ["overlapping hours"] });
    }
  }
  return db.$transaction(async (tx) => {
    await tx.availability.deleteMany({ where: { providerId: input.providerId, locationId: input.locationId } });
    await tx.availability.createMany({ data: input.blocks.map((b) => ({ ...b, providerId: input.providerId, locationId: input.locationId })) });
    await audit(tx, actor, { action: "scheduling.setup.setAvailability", resourceType: "Provider", resourceId: input.providerId });
    return tx.availability.findMany({ where: { providerId: input.providerId, locationId: input.locationId }, select: { weekday: true, startTime: true, endTime: true }, orderBy: [{ weekday: "asc" }, { startTime: "asc" }] });
  });
}

export async function addException(actor: ScopedActor, input: z.output<typeof addExceptionInput>) {
  await checkProviderAndLocation(actor.clinicId, input.providerId, input.locationId);
  return db.$transaction(async (tx) => {
    const row = await tx.availabilityException.create({
      data: { providerId: input.providerId, locationId: input.locationId ?? null, date: new Date(`${input.date}T00:00:00Z`), kind: input.kind, startTime: input.startTime ?? null, endTime: input.endTime ?? null, reason: input.reason ?? null, createdById: actor.userId },
      select: { id: true },
    });
    await audit(tx, actor, { action: "scheduling.setup.addException", resourceType: "AvailabilityException", resourceId: row.id });
    return row;
  });
}
