import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NoteEditor } from "./note-editor.tsx";
import { ChartPresence } from "./presence.tsx";

/** The chart page is rendered on the server: the editor must render there without a browser. */
describe("NoteEditor on the server", () => {
  it("renders the four labelled sections with the loaded text, and no CodeMirror", () => {
    const html = renderToString(
      createElement(NoteEditor, { noteId: "00000000-0000-4000-8000-000000000000", initial: { subjective: "Cough for 3 days.", plan: "Rest & fluids" } }),
    );
    for (const label of ["Subjective", "Objective", "Assessment", "Plan"]) expect(html).toContain(`>${label}</label>`);
    for (const field of ["subjective", "objective", "assessment", "plan"]) expect(html).toContain(`data-testid="note-editor-${field}"`);
    expect(html).toContain("Cough for 3 days.");
    expect(html).toContain("Rest &amp; fluids");
    expect(html).toContain('data-status="connecting"');
    expect(html).not.toContain("cm-editor");
  });

  it("renders presence as nobody until the browser asks", () => {
    const html = renderToString(createElement(ChartPresence, { patientId: "00000000-0000-4000-8000-000000000000", section: "note" }));
    expect(html).toContain('data-count="0"');
    expect(html).not.toContain("presence-avatar");
  });
});
