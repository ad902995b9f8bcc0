/* The code de secours, shown once (at the school's creation, after a reset with the code,
 * after drawing a new one): Secours.banner(login, code) keeps it above every screen until the
 * director says she printed or noted it; Secours.codeBox(login, code) is the code alone. */
import { el, button } from "../shared/dom.js";
import * as Shell from "./shell.js";


/** Print the code alone: while body has "impression-code", attestation.css prints only
 *  the .zone-code (until the print dialog closes). */
function printCode() {
  document.body.classList.add("impression-code");
  window.addEventListener("afterprint", () => document.body.classList.remove("impression-code"), { once: true });
  window.print();
}

/** The code, big, with its print button. */
function codeBox(login, code) {
  return el("div", { class: "zone-code" },
    el("p", { class: "fiche-titre", text: "Cartable — code de secours du directeur ou de la directrice" }),
    el("p", {}, "Identifiant : ", el("strong", { class: "identifiant-code", text: login })),
    el("p", { class: "code-secours", id: "code-secours", text: code }),
    el("p", { text: "Avec ce code, vous choisirez un nouveau mot de passe si vous oubliez le vôtre (écran de connexion : « Mot de passe oublié ? Code de secours »). Il ne sert qu'une fois : un nouveau code vous sera alors donné." }),
    el("p", { class: "avertissement-texte", text: "Imprimez-le ou notez-le, et rangez-le sous clé, hors de l'ordinateur et de la clé USB : il ne sera plus jamais affiché. Quiconque le trouve peut prendre votre compte." }),
    el("div", { class: "actions" }, button("Imprimer le code", printCode, { class: "secondaire", id: "imprimer-code" })));
}

function clearBanner() {
  for (const b of Shell.dom.banners.querySelectorAll(".bandeau-code")) b.remove();
}

function banner(login, code) {
  clearBanner();
  const box = el("section", { class: "alerte information bandeau-code", role: "region", "aria-label": "Votre code de secours" });
  const box2 = codeBox(login, code);
  box2.querySelector(".actions").appendChild(button("J'ai imprimé ou noté ce code", () => box.remove(), { class: "principal", id: "code-note" }));
  box.appendChild(box2);
  Shell.dom.banners.appendChild(box);
  box.scrollIntoView({ block: "nearest" });
}

Shell.on("logout", clearBanner);
export { codeBox, banner };
