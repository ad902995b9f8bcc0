/* Réglages (director): the school's name and UAI, and who may validate. */
(() => {
  const { el, append, field, checkbox } = Dom;
  const { call, busy, showNotice } = Shell;

  function schoolForm() {
    const school = (Shell.state.status && Shell.state.status.school) || {};
    const form = el("form", { class: "formulaire", novalidate: true });
    const nom = field("Nom de l'école", { value: school.nom || "" });
    const uai = field("Numéro UAI (facultatif)", { value: school.uai || "", maxlength: "8" });
    const submit = el("button", { type: "submit", class: "principal", text: "Enregistrer" });
    append(form, el("fieldset", {}, el("legend", { text: "L'école" }), nom.row, uai.row, el("div", { class: "actions" }, submit)));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      busy(submit, "Enregistrement…", async () => {
        await call("school.update", { nom: nom.input.value.trim(), uai: uai.input.value.trim() || null });
        await Shell.refreshStatus();
        showNotice("Les informations de l'école sont enregistrées.");
      });
    });
    return form;
  }

  function validationSetting(settings) {
    const c = checkbox("Les professeurs simplement affectés à une classe (pas seulement le professeur principal) peuvent valider pour ses élèves",
      { checked: !!settings.professeurs_affectes_valident, id: "reglage-affectes" });
    c.input.addEventListener("change", () => {
      busy(c.input, "Enregistrement…", async () => {
        let s;
        try {
          s = await call("settings.set", { professeurs_affectes_valident: c.input.checked });
        } catch (e) {
          c.input.checked = !c.input.checked;
          throw e;
        }
        c.input.checked = !!s.professeurs_affectes_valident;
        showNotice(s.professeurs_affectes_valident
          ? "Les professeurs affectés à une classe peuvent désormais valider pour ses élèves."
          : "Seuls les professeurs principaux (et le directeur) peuvent valider.");
      });
    });
    return el("fieldset", {}, el("legend", { text: "Validation" }), c.row);
  }

  Shell.screen({
    id: "reglages",
    label: "Réglages",
    roles: ["directeur"],
    order: 110,
    async render(section) {
      append(section, Dom.heading("Réglages"));
      const box = el("div");
      section.appendChild(box);
      const settings = await call("settings.get");
      append(box, [schoolForm(), validationSetting(settings)]);
    },
  });
})();
