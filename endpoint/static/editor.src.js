// Entry point of the editor bundle (npm run build → endpoint/static/vendor/editor.js, global KGEditor).
// CodeMirror 6 with the SPARQL mode from @codemirror/legacy-modes: highlighting, line numbers,
// history, bracket matching. Nothing here talks to the network.
import { EditorView, basicSetup } from "codemirror";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { keymap } from "@codemirror/view";

export function create(parent, doc, onRun) {
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      basicSetup,
      StreamLanguage.define(sparql),
      keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }]),
      EditorView.lineWrapping,
    ],
  });
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    view,
  };
}
