import { Button } from "~/components/ui/button";
import { SelectField, TextField } from "~/components/ui/field";
import { useVersionedEdit, VersionedEditForm } from "~/components/ui/versioned-edit";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { TOBACCO_LABEL } from "../format";
import type { SocialHistory, TobaccoStatus } from "../types";
import { Card, EmptyRow, Recorded, useHistoryWrite } from "./shared";

// --- social history ----------------------------------------------------------------------------

const TOBACCO_OPTIONS = (Object.keys(TOBACCO_LABEL) as TobaccoStatus[]).map((value) => ({ value, label: TOBACCO_LABEL[value] }));
const SMOKER: TobaccoStatus[] = ["FORMER", "CURRENT_EVERY_DAY", "CURRENT_SOME_DAYS"];

type SocialValues = {
  tobaccoStatus: TobaccoStatus;
  packYears: string;
  alcohol: string;
  substances: string;
  occupation: string;
};

const socialValues = (s: SocialHistory | null): SocialValues => ({
  tobaccoStatus: s?.tobaccoStatus ?? "UNKNOWN",
  packYears: s?.packYears != null ? String(s.packYears) : "",
  alcohol: s?.alcohol ?? "",
  substances: s?.substances ?? "",
  occupation: s?.occupation ?? "",
});

const LABELS: Record<keyof SocialValues, string> = {
  tobaccoStatus: "Tobacco use",
  packYears: "Pack-years",
  alcohol: "Alcohol use",
  substances: "Other substance use",
  occupation: "Occupation",
};

const shown = (key: keyof SocialValues, v: SocialValues) => (key === "tobaccoStatus" ? TOBACCO_LABEL[v.tobaccoStatus] : v[key]);

/**
 * One record per patient, saved whole with the version read; version 0 stands for "none yet"
 * (versions start at 1), which the server takes as a create that fails if someone created it first.
 */
export function SocialHistoryCard({ patientId, social, canWrite }: { patientId: string; social: SocialHistory | null; canWrite: boolean }) {
  const done = useHistoryWrite();
  const editing = useVersionedEdit<SocialValues>();
  const { edit } = editing;
  const save = trpc.patients.history.saveSocialHistory.useMutation({
    meta: { silentErrors: true },
    onSuccess: () => {
      done("Social history saved");
      editing.stop();
    },
  });
  const errors = fieldErrorsOf(save.error);
  const set = editing.change;

  return (
    <Card
      title="Social history"
      action={
        canWrite && !edit ? (
          <Button
            size="sm"
            variant="secondary"
            aria-label="Edit social history"
            onClick={() => {
              save.reset();
              editing.start(patientId, social?.version ?? 0, socialValues(social));
            }}
          >
            {social ? "Edit" : "Record"}
          </Button>
        ) : null
      }
    >
      {edit ? (
        <VersionedEditForm
          label="Edit social history"
          submitLabel="Save social history"
          what="the social history"
          edit={edit}
          editing={editing}
          mutation={save}
          current={social ? { version: social.version, updatedBy: social.recordedBy } : undefined}
          valuesOf={socialValues}
          fieldLabels={LABELS}
          format={shown}
          // Saved whole: after a conflict the fields this user left alone already hold theirs.
          save={(version) =>
            save.mutate({
              patientId,
              version: version === 0 ? undefined : version,
              tobaccoStatus: edit.values.tobaccoStatus,
              packYears: edit.values.packYears.trim() === "" ? null : Number(edit.values.packYears),
              alcohol: edit.values.alcohol,
              substances: edit.values.substances,
              occupation: edit.values.occupation,
            })
          }
        >
          <div className="grid gap-3 sm:grid-cols-2">
            <SelectField label="Tobacco use" value={edit.values.tobaccoStatus} options={TOBACCO_OPTIONS} onChange={(e) => set({ tobaccoStatus: e.target.value as TobaccoStatus })} errors={errors.tobaccoStatus} />
            <TextField
              label="Pack-years"
              type="number"
              inputMode="decimal"
              min={0}
              step={0.1}
              value={edit.values.packYears}
              disabled={!SMOKER.includes(edit.values.tobaccoStatus)}
              onChange={(e) => set({ packYears: e.target.value })}
              errors={errors.packYears}
              hint="Former or current smokers only"
            />
          </div>
          <TextField label="Alcohol use" value={edit.values.alcohol} onChange={(e) => set({ alcohol: e.target.value })} errors={errors.alcohol} maxLength={500} />
          <TextField label="Other substance use" value={edit.values.substances} onChange={(e) => set({ substances: e.target.value })} errors={errors.substances} maxLength={500} />
          <TextField label="Occupation" value={edit.values.occupation} onChange={(e) => set({ occupation: e.target.value })} errors={errors.occupation} maxLength={200} />
        </VersionedEditForm>
      ) : social ? (
        <div className="px-4 py-3">
        <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
          <dt className="text-ink-muted">Tobacco</dt>
          <dd>
            {TOBACCO_LABEL[social.tobaccoStatus]}
            {social.packYears != null ? `, ${social.packYears} pack-years` : ""}
          </dd>
          <dt className="text-ink-muted">Alcohol</dt>
          <dd>{social.alcohol ?? <span className="text-ink-subtle">—</span>}</dd>
          <dt className="text-ink-muted">Other substances</dt>
          <dd>{social.substances ?? <span className="text-ink-subtle">—</span>}</dd>
          <dt className="text-ink-muted">Occupation</dt>
          <dd>{social.occupation ?? <span className="text-ink-subtle">—</span>}</dd>
        </dl>
        <Recorded item={social} />
        </div>
      ) : (
        <EmptyRow>No social history recorded.</EmptyRow>
      )}
    </Card>
  );
}
