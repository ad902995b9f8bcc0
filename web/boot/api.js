/* window.Cartable: the API the interface uses (documented at the top of boot/state.js). */
const Cartable = (() => {
  let chain = Boot.ready; // calls run one at a time, in order

  function call(command, payload) {
    const run = () => {
      if (Boot.deactivated) return Promise.reject(BootTabs.otherTabError());
      return BootLink.request("call", { command, payload: payload ?? {} }, command);
    };
    const result = chain.then(run, () => {
      throw new Error("Cartable n'a pas démarré : rechargez la page.");
    });
    chain = result.catch(() => {});
    return result;
  }

  function download(bytes, filename, mime) {
    const blob = new Blob([bytes], { type: mime || "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const a = Dom.el("a", { href: url, download: filename, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  function onPersistError(callback) {
    BootLink.persistListeners.push(callback);
    const err = Boot.persistError;
    if (err) queueMicrotask(() => { if (Boot.persistError === err) callback(err); });
  }

  function onChange(callback) {
    BootLink.changeListeners.push(callback);
  }

  function rescueFile() {
    return Boot.ready.then(() => BootLink.request("rescue", {}));
  }

  return { ready: Boot.ready, call, whenPandas: BootLink.whenPandas, download, onPersistError, onChange, rescueFile };
})();
window.Cartable = Cartable;
