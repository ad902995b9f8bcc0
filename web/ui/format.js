/* Formatting helpers shared by the screens: no DOM, no rule (node-testable). */
const Format = (() => {
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
    if (n < 1024) return `${n} octets`;
    if (n < 1024 * 1024) return `${Math.round(n / 1024)} Ko`;
    return `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} Mo`;
  }

  function fullName(p) {
    return `${p.nom || ""} ${p.prenom || ""}`;
  }

  return { plural, date, size, fullName };
})();
if (typeof module !== "undefined") module.exports = Format;
