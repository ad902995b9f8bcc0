// The shell's leave guard (web/ui/shell.js): closing or reloading the page asks every
// Shell.onLeave guard, not only the first registered. No DOM: the handler alone.
import test from "node:test";
import assert from "node:assert/strict";
import * as Shell from "../../web/ui/shell.js";

function unloadEvent() {
  return { prevented: false, returnValue: undefined, preventDefault() { this.prevented = true; } };
}

test("beforeunload warns while an onLeave guard reports unsaved work", () => {
  let unsaved = false;
  const off1 = Shell.onLeave(() => null);
  const off2 = Shell.onLeave(() => (unsaved ? "Des bilans ne sont pas enregistrés." : null));
  try {
    const quiet = unloadEvent();
    assert.equal(Shell.warnBeforeUnload(quiet), undefined);
    assert.equal(quiet.prevented, false);
    unsaved = true;
    const warned = unloadEvent();
    assert.equal(Shell.warnBeforeUnload(warned), "Des bilans ne sont pas enregistrés.");
    assert.equal(warned.prevented, true);
    assert.equal(warned.returnValue, "Des bilans ne sont pas enregistrés.");
    off2();
    assert.equal(Shell.warnBeforeUnload(unloadEvent()), undefined); // unregistered
  } finally {
    off1();
    off2();
  }
});
