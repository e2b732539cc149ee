import { Link } from "@remix-run/react";
import { useState } from "react";
import { Button } from "~/components/ui/button";
import { SelectField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { useToast } from "~/components/ui/toast";
import { useCan } from "~/features/patients/use-can";
import { errorMessageOf, trpc } from "~/lib/trpc";
import { ENCOUNTER_TYPE_LABEL } from "./format";
import { NOTE_EDITOR_FIELDS } from "./note-editor";
import type { EncounterType, Note, NoteTemplate } from "./types";

const isEmpty = (note: Pick<Note, (typeof NOTE_EDITOR_FIELDS)[number]>) => NOTE_EDITOR_FIELDS.every((f) => note[f].trim() === "");

/**
 * Applies another note template to an unsigned note through saveNote (so co-editors see the text
 * arrive live, as one change). An empty note takes it at once; a note with text asks first, since
 * the template's four sections replace what everyone typed. The note is re-read just before, so
 * "empty" means empty now, not when the page loaded.
 */
export function TemplatePicker({ note, encounterType, busy, onApplied }: { note: Note; encounterType: EncounterType; busy: boolean; onApplied: () => void }) {
  const { toast } = useToast();
  const utils = trpc.useUtils();
  const canManage = useCan("template:manage");
  const templates = trpc.charts.templates.useQuery({ encounterType }, { meta: { silentErrors: true } });
  const [templateId, setTemplateId] = useState("");
  const [confirm, setConfirm] = useState<{ template: NoteTemplate; version: number } | null>(null);
  const [checking, setChecking] = useState(false);
  const save = trpc.charts.saveNote.useMutation({
    meta: { silentErrors: true },
    onSuccess: () => {
      toast({ tone: "success", title: "Template applied" });
      setConfirm(null);
      setTemplateId("");
      onApplied();
    },
  });

  const options = (templates.data ?? []).map((t) => ({
    value: t.id,
    label: `${t.name}${t.encounterType ? "" : " (any visit type)"}${t.isDefault ? " (default)" : ""}`,
  }));
  const chosen = templates.data?.find((t) => t.id === templateId) ?? null;

  const apply = (template: NoteTemplate, version: number) =>
    save.mutate({ noteId: note.id, version, templateId: template.id, subjective: template.subjective, objective: template.objective, assessment: template.assessment, plan: template.plan });

  async function onApply() {
    if (!chosen) return;
    save.reset();
    setChecking(true);
    try {
      const fresh = await utils.charts.encounter.fetch({ encounterId: note.encounterId });
      const current = fresh.note ?? note;
      if (isEmpty(current)) apply(chosen, current.version);
      else setConfirm({ template: chosen, version: current.version });
    } finally {
      setChecking(false);
    }
  }

  return (
    <div className="space-y-2 rounded-md border border-surface-border bg-surface-muted px-3 py-3" data-testid="template-picker">
      <div className="flex flex-wrap items-end gap-3">
        <SelectField
          label="Note template"
          hint={`Templates for ${ENCOUNTER_TYPE_LABEL[encounterType].toLowerCase()} visits and for any visit`}
          value={templateId}
          options={[{ value: "", label: templates.isPending ? "Loading…" : "Choose a template" }, ...options]}
          onChange={(e) => {
            setTemplateId(e.target.value);
            setConfirm(null);
            save.reset();
          }}
        />
        <Button size="sm" variant="secondary" disabled={!chosen || busy || checking || save.isPending} onClick={() => void onApply()}>
          {save.isPending ? "Applying…" : "Apply template"}
        </Button>
        {canManage ? (
          <Link to="/templates" className="text-sm text-brand-700 underline">
            Manage templates
          </Link>
        ) : null}
      </div>
      {confirm ? (
        <Notice
          tone="warn"
          role="alert"
          title={`Replace the note with “${confirm.template.name}”?`}
          actions={
            <>
              <Button size="sm" variant="danger" disabled={save.isPending} onClick={() => apply(confirm.template, confirm.version)}>
                {save.isPending ? "Replacing…" : "Replace the note's sections"}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setConfirm(null)}>
                Keep the note
              </Button>
            </>
          }
        >
          The note already has text. Subjective, objective, assessment and plan are replaced by the template&apos;s for everyone editing it.
        </Notice>
      ) : null}
      {save.error ? (
        <Notice tone="danger" role="alert" title="Template not applied">
          {errorMessageOf(save.error)}
        </Notice>
      ) : null}
    </div>
  );
}
