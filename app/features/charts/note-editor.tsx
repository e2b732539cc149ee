import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import * as Y from "yjs";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import type { NoteField } from "../../../server/modules/charts/note-doc.ts";
import { NoteCollab, type CollabSnapshot, type CollabStatus } from "../../lib/collab";
import { Badge } from "../../components/ui/badge";

/** The SOAP sections in order (the server's NOTE_FIELDS; the type check keeps the two in step). */
export const NOTE_EDITOR_FIELDS = ["subjective", "objective", "assessment", "plan"] as const satisfies readonly NoteField[];

const LABEL: Record<NoteField, string> = { subjective: "Subjective", objective: "Objective", assessment: "Assessment", plan: "Plan" };
const HINT: Record<NoteField, string> = {
  subjective: "History, symptoms in the patient's words",
  objective: "Examination findings, measurements",
  assessment: "Diagnosis, differential",
  plan: "Treatment, orders, follow-up",
};

const SERVER_SNAPSHOT: CollabSnapshot = { status: "connecting", canEdit: false, signed: false, pending: 0, message: null };
const noSubscribe = () => () => {};
const serverSnapshot = () => SERVER_SNAPSHOT;

export interface NoteEditorProps {
  noteId: string;
  /** Never edit (a signed note, a role without chart:write). The server decides too. */
  readOnly?: boolean;
  /** Text to show before the live document arrives (e.g. from the loader); also what the server renders. */
  initial?: Partial<Record<NoteField, string>>;
  /** Called when the sync status changes (to disable a Sign button while changes are unsaved, say). */
  onStatusChange?: (snapshot: CollabSnapshot) => void;
}

/**
 * The note, co-edited live: four labelled sections, each a CodeMirror editor bound to its Y.Text,
 * with the other editors' cursors and names. CodeMirror only mounts in the browser; the server
 * renders the labels and the initial text.
 */
export function NoteEditor({ noteId, readOnly = false, initial, onStatusChange }: NoteEditorProps) {
  const [collab, setCollab] = useState<NoteCollab | null>(null);
  useEffect(() => {
    const next = new NoteCollab(noteId, { readOnly });
    setCollab(next);
    return () => {
      setCollab(null);
      next.destroy();
    };
  }, [noteId, readOnly]);

  const snapshot = useSyncExternalStore(collab?.subscribe ?? noSubscribe, collab?.getSnapshot ?? serverSnapshot, serverSnapshot);
  const statusRef = useRef(onStatusChange);
  useEffect(() => {
    statusRef.current = onStatusChange;
  });
  useEffect(() => statusRef.current?.(snapshot), [snapshot]);

  const editable = snapshot.status === "synced" && !readOnly;
  return (
    <section aria-label="Note" data-testid="note-editor" data-status={snapshot.status} className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-base font-semibold text-ink">Note</h2>
        <SyncStatus snapshot={snapshot} />
      </div>
      {NOTE_EDITOR_FIELDS.map((field) => (
        <FieldEditor key={field} field={field} collab={collab} editable={editable} initial={initial?.[field] ?? ""} />
      ))}
    </section>
  );
}

const STATUS_TEXT: Record<CollabStatus, string> = {
  connecting: "Connecting…",
  synced: "Saved",
  offline: "Offline: changes are kept and sent when the connection returns",
  "read-only": "Read-only",
  denied: "Not available",
};

function SyncStatus({ snapshot }: { snapshot: CollabSnapshot }) {
  const { status, pending, signed, message } = snapshot;
  const text = status === "synced" && pending > 0 ? "Saving…" : status === "read-only" && signed ? "Signed: read-only" : STATUS_TEXT[status];
  const tone = status === "synced" ? "ok" : status === "offline" || status === "denied" ? "warn" : "neutral";
  return (
    <span role="status" aria-live="polite" data-testid="note-editor-status" data-status={status} data-pending={pending} title={message ?? undefined}>
      <Badge tone={tone}>{text}</Badge>
    </span>
  );
}

const theme = EditorView.theme({
  "&": { fontSize: "0.875rem", backgroundColor: "white" },
  "&.cm-focused": { outline: "2px solid #2b968b", outlineOffset: "1px" },
  // Clinical prose, not code: the page's font rather than CodeMirror's monospace.
  ".cm-scroller": { fontFamily: "inherit", lineHeight: "1.5" },
  ".cm-content": { minHeight: "4.5rem", padding: "0.5rem 0.75rem", fontFamily: "inherit", caretColor: "#17202a" },
  ".cm-line": { padding: "0" },
  "&.cm-editor.cm-readonly": { backgroundColor: "#f5f7f9" },
});

const editability = (editable: boolean): Extension => [
  EditorView.editable.of(editable),
  EditorState.readOnly.of(!editable),
  EditorView.editorAttributes.of({ class: editable ? "" : "cm-readonly" }),
];

function FieldEditor({ field, collab, editable, initial }: { field: NoteField; collab: NoteCollab | null; editable: boolean; initial: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [compartment] = useState(() => new Compartment());
  const editableRef = useRef(editable);
  editableRef.current = editable;
  const [mounted, setMounted] = useState(false);
  const labelId = `note-${field}-label`;

  useEffect(() => {
    if (!collab || !host.current) return;
    const ytext = collab.text(field);
    const undoManager = new Y.UndoManager(ytext);
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: ytext.toString(),
        extensions: [
          yCollab(ytext, collab.awareness, { undoManager }),
          keymap.of(yUndoManagerKeymap),
          EditorView.lineWrapping,
          placeholder(HINT[field]),
          EditorView.contentAttributes.of({ "aria-labelledby": labelId, "aria-multiline": "true", role: "textbox" }),
          theme,
          compartment.of(editability(editableRef.current)),
        ],
      }),
    });
    view.current = editor;
    setMounted(true);
    return () => {
      view.current = null;
      setMounted(false);
      editor.destroy();
      undoManager.destroy();
    };
  }, [collab, field, compartment, labelId]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartment.reconfigure(editability(editable)) });
  }, [editable, compartment, mounted]);

  return (
    <div className="space-y-1">
      <label id={labelId} className="block text-sm font-medium text-ink" onClick={() => view.current?.focus()}>
        {LABEL[field]}
      </label>
      <div
        className="overflow-hidden rounded-md border border-surface-border"
        data-testid={`note-editor-${field}`}
        data-ready={mounted && editable ? "true" : "false"}
      >
        {/* Server render and first paint: the text as loaded, until CodeMirror takes over below. */}
        {mounted ? null : (
          <div className="min-h-[4.5rem] px-3 py-2 text-sm whitespace-pre-wrap text-ink-muted" aria-labelledby={labelId}>
            {initial}
          </div>
        )}
        <div ref={host} />
      </div>
    </div>
  );
}
