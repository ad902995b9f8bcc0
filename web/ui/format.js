/* Formatting helpers shared by the screens: no DOM, no rule (node-testable). */
function plural(n, one, many) {
  return `${n} ${n === 1 || n === 0 ? one : many}`;
}

/** "2024-06-15…" -> "15/06/2024" (anything else unchanged). */
function date(iso) {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

function size(n) {
  if (n < 1024) return plural(n, "octet", "octets");
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} Ko`;
  return `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} Mo`;
}

function fullName(p) {
  return `${p.nom || ""} ${p.prenom || ""}`;
}

// French order for names on screen (Éloïse with the E, ÇELIK with the C, case ignored).
const collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

/** Compare people {nom, prenom} in French order: nom, then prénom (then exact spelling). */
function byName(a, b) {
  return collator.compare(a.nom || "", b.nom || "") || collator.compare(a.prenom || "", b.prenom || "")
    || (a.nom || "").localeCompare(b.nom || "") || (a.prenom || "").localeCompare(b.prenom || "");
}

export { plural, date, size, fullName, byName };
