/* Start: check the folder and the browser, then (if this tab is the active one, boot/tabs.js)
 * start the worker and send it the start-up files. */
(() => {
  const { root, config } = Boot;
  const { fail } = BootLoading;

  /** Start Python (this tab is the active one). */
  function start() {
    Boot.startedAt = performance.now();
    Boot.timer = setTimeout(() => fail(
      `Le démarrage a pris trop de temps (plus de ${Math.round(Boot.timeoutMs / 1000)} ` +
      "secondes) : un fichier de Cartable manque ou est abîmé, ou ce navigateur ne convient " +
      "pas."), Boot.timeoutMs);
    root.dataset.state = "loading";
    const startup = config.files.filter((f) => f.group === "startup");
    let done = 0;
    BootLoading.files(0, startup.reduce((sum, f) => sum + f.size, 0));
    try {
      BootLink.startWorker({ otherTabMessage: BootTabs.OTHER_TAB });
    } catch (e) {
      fail(e.message, e.stack);
      return;
    }
    Promise.all(startup.map((f) => BootLink.sendAsset(f.name).then(() => {
      done += f.size;
      BootLoading.files(done);
    }))).catch((e) => fail(e.message, e.stack));
  }

  if (!config || !Array.isArray(config.files)) {
    fail("Le fichier assets/config.js est introuvable : le dossier de Cartable est incomplet.");
  } else if (typeof WebAssembly !== "object" || typeof DecompressionStream !== "function") {
    fail("Ce navigateur est trop ancien pour Cartable.");
  } else {
    BootTabs.begin(start);
  }
})();
