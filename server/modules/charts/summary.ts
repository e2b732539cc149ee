/**
 * The chart's banner summary, rendered on every chart page: allergy status and active allergies,
 * active problems, active medications, the last vital signs (flagged) and how many results await
 * review. One scope query, one Redis SET (the chart-open audit), then five indexed reads in
 * parallel on (patient_id, status) / (patient_id, taken_at) indexes.
 */
import { dottedCode } from "../../codes/format.ts";
import type { ScopedActor } from "../../audit/audit.ts";
import { db } from "../../db.ts";
import { isoDay } from "./format.ts";
import { openChart } from "./guards.ts";
import { displayedAllergyStatus } from "./lists.ts";
import { currentVitals, vitalsSelect, vitalsValues } from "./vitals.ts";

const SUMMARY_ITEMS = 50;

export async function summary(actor: ScopedActor, patientId: string) {
  const scope = await openChart(actor, patientId);
  const ids = { in: scope.patientIds };
  const [allergies, problems, medications, lastVitals, unacknowledgedResults] = await Promise.all([
    db.allergy.findMany({
      where: { patientId: ids, status: "ACTIVE" },
      select: { id: true, substance: true, category: true, severity: true, reaction: true },
      orderBy: { createdAt: "desc" },
      take: SUMMARY_ITEMS,
    }),
    db.problem.findMany({
      where: { patientId: ids, status: "ACTIVE", deletedAt: null },
      select: { id: true, icd10Code: true, description: true, onsetDate: true },
      orderBy: { createdAt: "desc" },
      take: SUMMARY_ITEMS,
    }),
    db.medicationStatement.findMany({
      where: { patientId: ids, status: "ACTIVE", deletedAt: null },
      select: { id: true, drugName: true, dose: true, route: true, frequency: true },
      orderBy: { createdAt: "desc" },
      take: SUMMARY_ITEMS,
    }),
    db.vitals.findFirst({ where: { patientId: ids, ...currentVitals }, select: vitalsSelect, orderBy: [{ takenAt: "desc" }, { id: "desc" }] }),
    db.labResult.count({ where: { patientId: ids, acknowledgedAt: null } }),
  ]);
  return {
    patientId: scope.rootId,
    allergies: { status: displayedAllergyStatus(scope.allergyStatus, allergies.length), items: allergies },
    problems: problems.map((p) => ({ id: p.id, icd10CodeDotted: dottedCode(p.icd10Code), description: p.description, onsetDate: isoDay(p.onsetDate) })),
    medications,
    lastVitals: lastVitals ? vitalsValues(lastVitals) : null,
    unacknowledgedResults,
  };
}
