// Entry point of the editor bundle (npm run build → endpoint/static/vendor/editor.js, global KGEditor).
// CodeMirror 6 with the SPARQL mode from @codemirror/legacy-modes: highlighting, line numbers,
// history, bracket matching; completion of prefixes, classes, properties and concepts from the
// entries the page hands over (computed from the live build: no network round trip per key);
// syntax errors marked at their line and column. Nothing here talks to the network.
import { EditorView, basicSetup } from "codemirror";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";
import { autocompletion } from "@codemirror/autocomplete";
import { setDiagnostics } from "@codemirror/lint";

const TYPES = { prefix: "namespace", class: "class", property: "property", concept: "constant" };

// entries: [{text: "circ:Praktijk" | "<iri>" | "circ:", kind, label}]
function completionSource(entries) {
  const prefixed = entries.filter((e) => !e.text.startsWith("<"));
  const bare = entries.filter((e) => e.text.startsWith("<") && e.label);
  return (context) => {
    const word = context.matchBefore(/[\w\-]*:?[\w\-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const typed = word.text;
    const options = prefixed.map((e) => ({
      label: e.text, detail: e.label, type: TYPES[e.kind] || "variable", boost: e.kind === "class" ? 1 : 0,
    }));
    // Concepts (and other terms without a prefix) are found by their label.
    if (typed.length >= 2 && !typed.includes(":")) {
      const low = typed.toLowerCase();
      for (const e of bare) {
        if (e.label.toLowerCase().includes(low)) {
          options.push({ label: e.label, detail: e.text, apply: e.text, type: TYPES[e.kind] || "variable" });
        }
      }
    }
    return { from: word.from, options, validFor: /^[\w\-]*:?[\w\-]*$/ };
  };
}

export function create(parent, doc, onRun, entries) {
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      // Highest precedence: basicSetup binds Mod-Enter to insertBlankLine.
      Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }])),
      basicSetup,
      StreamLanguage.define(sparql),
      autocompletion({ override: [completionSource(entries || [])], activateOnTyping: true }),
      EditorView.lineWrapping,
    ],
  });
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    // Mark an error at a 1-based line and column (null clears every mark).
    markError: (line, column, message) => {
      if (line === null) { view.dispatch(setDiagnostics(view.state, [])); return; }
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
      // From the column to the end of its line; at the end of a line (where the parser often
      // stops), the word before it.
      let from = l.from + Math.min(Math.max(column - 1, 0), l.length), to = l.to;
      if (from >= l.to) {
        const text = l.text.replace(/\s+$/, "");
        const word = /\S+$/.exec(text);
        from = l.from + (word ? word.index : 0);
        to = l.from + text.length;
      }
      if (to <= from) to = Math.min(from + 1, doc.length);
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(to, from), severity: "error", message }]));
    },
    view,
  };
}
