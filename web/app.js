/* Cartable — the application interface (classic script, no modules, no network).
 *
 * A thin shell: it renders what the Python core returns (through window.Cartable, provided by
 * boot.js) and sends what the user does. It holds no rule of its own.
 *
 * Safety: every piece of data is put in the page with textContent (never innerHTML): pupil
 * names may contain "<" and must render as text. No inline handlers, no inline styles (CSP).
 */
(function () {
  "use strict";

  var DRAFT_KEY = "cartable.draft";

  // ---------------------------------------------------------------------------------------
  // Small DOM helpers
  // ---------------------------------------------------------------------------------------

  /** el("button", {class: "x", on: {click: f}, "aria-label": "…"}, "text", child, [more]) */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === undefined || value === null || value === false) return;
        if (key === "on") {
          Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); });
        } else if (key === "class") {
          node.className = value;
        } else if (key === "text") {
          node.textContent = value;
        } else if (key === "checked" || key === "disabled" || key === "value" ||
                   key === "selected" || key === "multiple" || key === "hidden") {
          node[key] = value;
        } else {
          node.setAttribute(key, value === true ? "" : String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    if (typeof child === "string" || typeof child === "number") {
      node.appendChild(document.createTextNode(String(child)));
    } else {
      node.appendChild(child);
    }
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  var uid = 0;
  function nextId(prefix) { uid += 1; return (prefix || "f") + "-" + uid; }

  /** A labelled input; returns {row, input}. */
  function field(label, attrs, hint) {
    var id = nextId("champ");
    var input = el("input", Object.assign({ id: id, type: "text" }, attrs || {}));
    var hintNode = null;
    if (hint) {
      var hid = id + "-aide";
      hintNode = el("span", { class: "aide", id: hid, text: hint });
      input.setAttribute("aria-describedby", hid);
    }
    var row = el("div", { class: "champ" }, el("label", { for: id, text: label }), input, hintNode);
    return { row: row, input: input };
  }

  function checkbox(label, attrs) {
    var id = nextId("case");
    var input = el("input", Object.assign({ id: id, type: "checkbox" }, attrs || {}));
    var row = el("div", { class: "case" }, input, el("label", { for: id, text: label }));
    return { row: row, input: input };
  }

  /**
   * A file input whose visible part is French whatever the browser's language: the native
   * control stays (keyboard, drag-and-drop, tests) but is visually hidden behind a
   * "Choisir un fichier…" button and the chosen file's name.
   */
  function filePicker(input) {
    input.classList.add("fichier-natif");
    var name = el("span", { class: "nom-fichier", text: "Aucun fichier choisi" });
    input.addEventListener("change", function () {
      var f = input.files && input.files[0];
      name.textContent = f ? f.name : "Aucun fichier choisi";
    });
    return el("span", { class: "choix-fichier" }, input,
      el("label", { for: input.id, class: "bouton-fichier", "aria-hidden": "true", text: "Choisir un fichier…" }), name);
  }

  function button(label, onClick, attrs) {
    var b = el("button", Object.assign({ type: "button", text: label }, attrs || {}));
    if (onClick) b.addEventListener("click", onClick);
    return b;
  }

  function heading(text) { return el("h2", { text: text, tabindex: "-1" }); }

  function fmtDate(iso) {
    if (!iso) return "";
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso;
  }

  function plural(n, one, many) { return n + " " + (n === 1 || n === 0 ? one : many); }

  function fullName(p) { return (p.nom || "") + " " + (p.prenom || ""); }

  function readFile(file) {
    if (file.arrayBuffer) {
      return file.arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
    }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(new Uint8Array(reader.result)); };
      reader.onerror = function () { reject(new Error("Le fichier n'a pas pu être lu. Réessayez ou choisissez un autre fichier.")); };
      reader.readAsArrayBuffer(file);
    });
  }

  function fmtSize(n) {
    if (n < 1024) return n + " octets";
    if (n < 1024 * 1024) return Math.round(n / 1024) + " Ko";
    return (n / 1024 / 1024).toFixed(1).replace(".", ",") + " Mo";
  }

  // ---------------------------------------------------------------------------------------
  // Application state and frame
  // ---------------------------------------------------------------------------------------

  var state = {
    status: null,     // app.status result
    user: null,       // logged-in user
    view: null,       // current view name
    leaveGuard: null, // function() -> bool: may we leave the current view?
    validation: null, // selection kept between grids (palier, classe, élèves)
    busyCount: 0,
  };

  var dom = {}; // root, header, nav, main, alerts, content, busy, banners

  function buildFrame() {
    var root = document.getElementById("app");
    clear(root);
    dom.root = root;
    dom.skip = el("a", { class: "evitement", href: "#contenu", text: "Aller au contenu" });
    dom.header = el("header", { class: "entete" });
    dom.banners = el("div", { class: "bandeaux" });
    dom.nav = el("nav", { class: "menu", "aria-label": "Menu principal" });
    dom.alerts = el("div", { class: "alertes", role: "alert", "aria-live": "assertive" });
    dom.notices = el("div", { class: "messages", role: "status", "aria-live": "polite" });
    dom.busy = el("div", { class: "occupe", role: "status", "aria-live": "polite", hidden: true });
    dom.content = el("div", { class: "contenu" });
    dom.main = el("main", { id: "contenu", tabindex: "-1" }, dom.alerts, dom.notices, dom.busy, dom.content);
    dom.body = el("div", { class: "corps" }, dom.nav, dom.main);
    append(root, [dom.skip, dom.header, dom.banners, dom.body]);
  }

  function renderHeader() {
    clear(dom.header);
    var school = state.status && state.status.school;
    var title = el("div", { class: "titre" },
      el("span", { class: "nom-appli", text: "Cartable" }),
      school ? el("span", { class: "nom-ecole", text: school.nom + (school.uai ? " (" + school.uai + ")" : "") }) : null);
    var who = null;
    if (state.user) {
      var role = state.user.role === "directeur" ? "direction" : "professeur";
      who = el("div", { class: "utilisateur" },
        el("span", { class: "connecte", text: "Connecté : " + state.user.prenom + " " + state.user.nom + " (" + role + ")" }),
        button("Se déconnecter", logout, { class: "secondaire", id: "deconnexion" }));
    }
    append(dom.header, [title, who]);
  }

  // -- alerts, notices, busy --------------------------------------------------------------

  function showError(err) {
    var message = (err && err.message) ? err.message : String(err);
    if (window.console) console.error(err);
    var box = el("div", { class: "alerte erreur" },
      el("span", { class: "alerte-texte", text: message }),
      button("Fermer", function () { box.remove(); }, { class: "fermer", "aria-label": "Fermer ce message d'erreur" }));
    dom.alerts.appendChild(box);
    box.scrollIntoView && box.scrollIntoView({ block: "nearest" });
    if (err && (err.code === "session" || err.code === "login") && state.user) {
      state.user = null;
      state.leaveGuard = null;
      showLogin();
    }
  }

  function showNotice(message, kind) {
    var box = el("div", { class: "alerte " + (kind || "succes") },
      el("span", { class: "alerte-texte", text: message }),
      button("Fermer", function () { box.remove(); }, { class: "fermer", "aria-label": "Fermer ce message" }));
    dom.notices.appendChild(box);
    return box;
  }

  function clearMessages() { clear(dom.alerts); clear(dom.notices); }

  function setBusy(on, text) {
    state.busyCount += on ? 1 : -1;
    if (state.busyCount < 0) state.busyCount = 0;
    if (state.busyCount > 0) {
      dom.busy.hidden = false;
      if (text) dom.busy.textContent = text;
      else if (!dom.busy.textContent) dom.busy.textContent = "Traitement en cours…";
      dom.main.setAttribute("aria-busy", "true");
    } else {
      dom.busy.hidden = true;
      dom.busy.textContent = "";
      dom.main.removeAttribute("aria-busy");
    }
  }

  function setBusyText(text) { if (state.busyCount > 0) dom.busy.textContent = text; }

  /** Run fn() (returning a promise) with the button disabled and the busy indicator shown.
   *  Errors are shown in the alert area; resolves to fn's result or undefined on error. */
  function busy(btn, text, fn) {
    if (btn) { btn.disabled = true; btn.setAttribute("aria-busy", "true"); }
    setBusy(true, text);
    var p;
    try { p = Promise.resolve(fn()); } catch (e) { p = Promise.reject(e); }
    return p.then(function (r) { return r; }, function (e) { showError(e); return undefined; })
      .then(function (r) {
        if (btn) { btn.disabled = false; btn.removeAttribute("aria-busy"); }
        setBusy(false);
        return r;
      });
  }

  function call(command, payload) { return window.Cartable.call(command, payload || {}); }

  // -- persistence failure banner ---------------------------------------------------------

  // Shown while saving in the browser fails (boot.js reports every failure, and null once a
  // later save succeeds). The download works for any user: Cartable.rescueFile() hands over
  // the database as it is in this page, only while saving fails (docs/SECURITY.md).
  function showPersistBanner(message) {
    var text = message || "Les dernières modifications n'ont pas pu être enregistrées dans ce navigateur. Téléchargez le fichier de l'école pour ne rien perdre.";
    if (dom.persistBanner && dom.persistBanner.isConnected) {
      dom.persistBanner.querySelector(".alerte-texte").textContent = text;
      return;
    }
    var dl = button("Télécharger le fichier de l'école", function () {
      busy(dl, "Préparation du fichier de l'école…", downloadRescueFile);
    }, { class: "principal", id: "telecharger-secours" });
    dom.persistBanner = el("div", { class: "alerte erreur bandeau-persistance", role: "alert" },
      el("span", { class: "alerte-texte", text: text }), dl);
    dom.banners.appendChild(dom.persistBanner);
  }

  function hidePersistBanner() {
    if (!dom.persistBanner || !dom.persistBanner.isConnected) return;
    dom.persistBanner.remove();
    dom.persistBanner = null;
    showNotice("L'enregistrement dans le navigateur fonctionne de nouveau : les modifications sont enregistrées.");
  }

  function downloadRescueFile() {
    return window.Cartable.rescueFile().then(function (r) {
      window.Cartable.download(r.data, r.filename, "application/octet-stream");
      showNotice("Le fichier de l'école « " + r.filename + " » a été téléchargé. Gardez-le en lieu sûr (clé USB…) : il contient les dernières modifications.");
    }, function () {
      return downloadSchoolFile(); // saving works again meanwhile: the usual way
    });
  }

  function downloadSchoolFile() {
    return call("school.file_bytes").then(function (r) {
      window.Cartable.download(r.data, r.filename, "application/octet-stream");
      showNotice("Le fichier de l'école « " + r.filename + " » a été téléchargé. Gardez-le en lieu sûr (clé USB…).");
    });
  }

  // ---------------------------------------------------------------------------------------
  // Start, setup, login, activation
  // ---------------------------------------------------------------------------------------

  function start() {
    buildFrame();
    if (window.Cartable.onPersistError && !state.persistListening) {
      state.persistListening = true;
      window.Cartable.onPersistError(function (e) {
        state.persistMessage = e ? e.message : null;
        if (e) showPersistBanner(e.message); else hidePersistBanner();
      });
    } else if (state.persistMessage) {
      showPersistBanner(state.persistMessage); // start() again: the frame was rebuilt
    }
    window.addEventListener("beforeunload", function (e) {
      if (hasUnsavedChanges()) {
        e.preventDefault();
        e.returnValue = "Des validations ne sont pas enregistrées.";
        return e.returnValue;
      }
    });
    return refreshStatus().then(function () {
      if (state.status.needs_setup) showSetup();
      else if (state.status.user && !state.status.user.must_change_password) enterApp(state.status.user);
      else showLogin();
    }).catch(function (e) {
      buildFrame();
      showError(e);
    });
  }

  function refreshStatus() {
    return call("app.status").then(function (s) { state.status = s; renderHeader(); return s; });
  }

  function simpleScreen(name, title) {
    state.view = name;
    state.leaveGuard = null;
    dom.root.className = "ecran-simple ecran-" + name;
    clear(dom.nav);
    dom.nav.hidden = true;
    clear(dom.notices);
    clear(dom.content);
    renderHeader();
    var card = el("section", { class: "carte" }, heading(title));
    dom.content.appendChild(card);
    return card;
  }

  function passwordPair(card, labelFirst) {
    var p1 = field(labelFirst || "Mot de passe", { type: "password", autocomplete: "new-password", required: true },
      "Au moins 8 caractères.");
    var p2 = field("Confirmez le mot de passe", { type: "password", autocomplete: "new-password", required: true });
    append(card, [p1.row, p2.row]);
    return { first: p1.input, second: p2.input };
  }

  function checkPasswords(pair) {
    if (pair.first.value !== pair.second.value) {
      throw new Error("Les deux mots de passe ne sont pas identiques. Tapez-les à nouveau.");
    }
    if (pair.first.value.length < 8) {
      throw new Error("Le mot de passe est trop court : choisissez-en un d'au moins 8 caractères.");
    }
  }

  function showSetup() {
    var card = simpleScreen("creation", "Première ouverture : créer l'école");
    append(card, el("p", { text: "Bienvenue dans Cartable. Indiquez le nom de l'école, puis créez le compte du directeur ou de la directrice : c'est ce compte qui paramètre l'école, importe les élèves et crée les comptes des professeurs." }));
    var form = el("form", { class: "formulaire", novalidate: true });
    var ecole = el("fieldset", {}, el("legend", { text: "L'école" }));
    var nom = field("Nom de l'école", { required: true, autocomplete: "organization", name: "ecole" });
    var uai = field("Numéro UAI (facultatif)", { name: "uai", maxlength: "8" }, "Le numéro de l'établissement, par exemple 0441234X.");
    append(ecole, [nom.row, uai.row]);
    var dir = el("fieldset", {}, el("legend", { text: "Le compte du directeur / de la directrice" }));
    var dnom = field("Nom", { required: true, autocomplete: "family-name", name: "dnom" });
    var dprenom = field("Prénom", { required: true, autocomplete: "given-name", name: "dprenom" });
    var dlogin = field("Identifiant (facultatif)", { name: "dlogin", autocomplete: "username" },
      "Laissez vide pour qu'il soit fabriqué à partir du prénom et du nom.");
    append(dir, [dnom.row, dprenom.row, dlogin.row]);
    var pair = passwordPair(dir);
    var submit = el("button", { type: "submit", class: "principal", text: "Créer l'école" });
    append(form, [ecole, dir, el("div", { class: "actions" }, submit)]);
    card.appendChild(form);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      busy(submit, "Création de l'école…", function () {
        if (!nom.input.value.trim()) throw new Error("Indiquez le nom de l'école.");
        if (!dnom.input.value.trim() || !dprenom.input.value.trim()) {
          throw new Error("Indiquez le nom et le prénom du directeur ou de la directrice.");
        }
        checkPasswords(pair);
        var payload = {
          nom: nom.input.value.trim(),
          directeur: { nom: dnom.input.value.trim(), prenom: dprenom.input.value.trim(), password: pair.first.value },
        };
        if (uai.input.value.trim()) payload.uai = uai.input.value.trim();
        if (dlogin.input.value.trim()) payload.directeur.login = dlogin.input.value.trim();
        var password = pair.first.value;
        return call("app.setup", payload).then(function (r) {
          return call("auth.login", { login: r.login, password: password }).then(function (res) {
            return refreshStatus().then(function () {
              enterApp(res.user);
              showNotice("L'école est créée. Votre identifiant de connexion est « " + r.login +
                " » : notez-le, il vous sera demandé à chaque ouverture.");
            });
          });
        });
      });
    });
    nom.input.focus();
  }

  function showLogin(message) {
    var card = simpleScreen("connexion", "Connexion");
    if (message) append(card, el("p", { class: "information", text: message }));
    var form = el("form", { class: "formulaire", novalidate: true });
    var login = field("Identifiant", { autocomplete: "username", name: "login", autocapitalize: "none", spellcheck: "false" });
    var pwd = field("Mot de passe", { type: "password", autocomplete: "current-password", name: "password" });
    var submit = el("button", { type: "submit", class: "principal", text: "Se connecter" });
    append(form, [login.row, pwd.row, el("div", { class: "actions" }, submit)]);
    append(card, form);
    append(card, el("p", { class: "aide", text: "Mot de passe oublié ? Le directeur ou la directrice peut le réinitialiser (menu Professeurs)." }));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      busy(submit, "Connexion…", function () {
        if (!login.input.value.trim() || !pwd.input.value) {
          throw new Error("Tapez votre identifiant et votre mot de passe.");
        }
        var password = pwd.input.value;
        return call("auth.login", { login: login.input.value.trim(), password: password }).then(function (res) {
          clearMessages();
          if (res.user.must_change_password) showActivation(res.user, password);
          else enterApp(res.user);
        });
      });
    });
    login.input.focus();
  }

  function showActivation(user, oldPassword) {
    state.user = user;
    var card = simpleScreen("activation", "Activez votre compte : choisissez un nouveau mot de passe");
    renderHeader();
    append(card, el("p", { text: "Bonjour " + user.prenom + " " + user.nom + ". Le mot de passe qui vous a été remis était provisoire. Choisissez-en un nouveau, que vous seul(e) connaîtrez." }));
    var form = el("form", { class: "formulaire", novalidate: true });
    var pair = passwordPair(form, "Nouveau mot de passe");
    var submit = el("button", { type: "submit", class: "principal", text: "Activer mon compte" });
    append(form, el("div", { class: "actions" }, submit));
    card.appendChild(form);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      busy(submit, "Activation du compte…", function () {
        checkPasswords(pair);
        return call("auth.change_password", { old_password: oldPassword, new_password: pair.first.value })
          .then(function (r) {
            enterApp(r.user || Object.assign({}, user, { must_change_password: false }));
            showNotice("Votre compte est activé. Utilisez désormais ce nouveau mot de passe.");
          });
      });
    });
    pair.first.focus();
  }

  function logout() {
    if (!mayLeave()) return;
    var btn = document.getElementById("deconnexion");
    busy(btn, "Déconnexion…", function () {
      return call("auth.logout").catch(function () { /* already logged out */ }).then(function () {
        state.user = null;
        state.validation = null;
        currentGrid = null;
        clearMessages();
        clearDraftBanner();
        return refreshStatus().then(function () { showLogin("Vous êtes déconnecté(e)."); });
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Main frame with menu
  // ---------------------------------------------------------------------------------------

  var MENU_DIRECTEUR = [
    ["accueil", "Accueil"],
    ["niveaux", "Niveaux"],
    ["paliers", "Paliers du socle"],
    ["import", "Importer les élèves"],
    ["professeurs", "Professeurs"],
    ["affectations", "Professeurs & classes"],
    ["items", "Valider les items"],
    ["competences", "Valider les compétences"],
    ["echanges", "Import / Export des validations"],
    ["fichier", "Fichier de l'école"],
    ["reglages", "Réglages"],
  ];
  var MENU_PROFESSEUR = [
    ["items", "Valider les items"],
    ["competences", "Valider les compétences"],
  ];

  function isDirector() { return state.user && state.user.role === "directeur"; }

  function enterApp(user) {
    state.user = user;
    state.validation = null;
    dom.root.className = "ecran-appli";
    renderHeader();
    renderNav();
    dom.nav.hidden = false;
    go(isDirector() ? "accueil" : "items", { force: true });
    offerDraft();
  }

  function renderNav() {
    clear(dom.nav);
    var list = el("ul");
    (isDirector() ? MENU_DIRECTEUR : MENU_PROFESSEUR).forEach(function (entry) {
      var b = button(entry[1], function () { go(entry[0]); }, { class: "lien-menu", "data-vue": entry[0] });
      if (state.view === entry[0]) b.setAttribute("aria-current", "page");
      list.appendChild(el("li", {}, b));
    });
    dom.nav.appendChild(list);
  }

  function mayLeave() {
    if (state.leaveGuard && !state.leaveGuard()) return false;
    return true;
  }

  function go(view, opts) {
    opts = opts || {};
    if (!opts.force && !mayLeave()) return;
    state.leaveGuard = null;
    state.view = view;
    document.body.classList.remove("avec-fiche");
    renderNav();
    if (!opts.keepMessages) clearMessages();
    clear(dom.content);
    var section = el("section", { class: "vue vue-" + view });
    dom.content.appendChild(section);
    var fn = VIEWS[view];
    var result;
    try { result = fn(section, opts); } catch (e) { result = Promise.reject(e); }
    Promise.resolve(result).catch(showError);
    var h2 = section.querySelector("h2");
    if (h2 && !opts.noFocus) h2.focus();
  }

  // ---------------------------------------------------------------------------------------
  // Accueil (director)
  // ---------------------------------------------------------------------------------------

  function viewAccueil(section) {
    append(section, heading("Accueil"));
    append(section, el("p", { text: "Les étapes pour valider le socle commun (palier 2, fin CM2) et transmettre le fichier au collège :" }));
    var ol = el("ol", { class: "etapes-accueil" });
    section.appendChild(ol);
    return call("school.overview").then(function (o) {
      accueilSteps(o).forEach(function (s) {
        var label = MENU_DIRECTEUR.filter(function (m) { return m[0] === s[0]; })[0][1];
        var li = el("li", { class: s[2] === true ? "fait" : (s[2] === false ? "a-faire" : "") },
          button(label, function () { go(s[0]); }, { class: "lien" }), " — " + s[1]);
        if (s[2] !== null) {
          li.appendChild(el("span", { class: "etat-etape", text: s[2] ? "✓ " + s[3] : "À faire : " + s[3] }));
        }
        (s[4] || []).forEach(function (extra) { li.appendChild(extra); });
        ol.appendChild(li);
      });
    });
  }

  /** [view, what to do, done (true/false/null = no status), status text, extra nodes]. */
  function accueilSteps(o) {
    var classes = plural(o.nb_classes, "classe", "classes");
    var progress = o.paliers.map(function (p) {
      var text = p.nom + " : " + (p.nb_eleves === 0
        ? "aucun élève de " + p.niveau + "."
        : p.pourcentage + " % des items décidés pour " + plural(p.nb_eleves, "élève", "élèves") + " de " + p.niveau +
          " (" + plural(p.valides, "item validé", "items validés") + ", " + plural(p.decisions - p.valides, "invalidé", "invalidés") + ").");
      return el("div", { class: "avancement" },
        el("progress", { max: String(Math.max(p.total, 1)), value: String(p.decisions), "aria-label": p.nom }),
        el("span", { text: text }));
    });
    var sansPP = o.classes_sans_principal;
    return [
      ["niveaux", "Choisir les niveaux de l'école.", o.niveaux.length > 0,
        o.niveaux.length ? o.niveaux.join(", ") : "aucun niveau choisi"],
      ["paliers", "Choisir les paliers du socle utilisés (palier 1 et palier 2).", o.paliers.length > 0,
        o.paliers.length ? o.paliers.map(function (p) { return p.nom; }).join(", ") : "aucun palier choisi"],
      ["import", "Importer les élèves depuis l'extraction CSV de Base-Élèves / ONDE.", o.nb_eleves > 0,
        o.nb_eleves ? plural(o.nb_eleves, "élève", "élèves") + " dans " + classes : "aucun élève"],
      ["professeurs", "Créer les comptes des professeurs.", o.nb_professeurs > 0,
        o.nb_professeurs ? plural(o.nb_professeurs, "professeur", "professeurs") : "aucun professeur"],
      ["affectations", "Attribuer les classes aux professeurs et désigner les professeurs principaux.",
        o.nb_classes > 0 && sansPP.length === 0,
        sansPP.length ? plural(sansPP.length, "classe", "classes") + " sans professeur principal (" + sansPP.join(", ") + ")"
          : (o.nb_classes ? "chaque classe a son professeur principal" : "pas encore de classe")],
      ["items", "Valider les items (vous-même ou les professeurs principaux).", null, "", progress],
      ["competences", "Valider les compétences.", null, ""],
      ["echanges", "Exporter le fichier des validations pour le collège (SACoche).", null, ""],
      ["fichier", "Enregistrer régulièrement le fichier de l'école (sauvegarde).", null, ""],
    ];
  }

  // ---------------------------------------------------------------------------------------
  // Niveaux
  // ---------------------------------------------------------------------------------------

  function viewNiveaux(section) {
    append(section, heading("Niveaux"));
    append(section, el("p", { text: "Cochez les niveaux présents dans l'école, niveau par niveau. Un niveau qui a encore des classes ne peut pas être retiré." }));
    var box = el("div");
    section.appendChild(box);
    return call("niveaux.list").then(function (niveaux) { renderNiveaux(box, niveaux); });
  }

  function renderNiveaux(box, niveaux) {
    clear(box);
    var fs = el("fieldset", { class: "liste-cases" }, el("legend", { text: "Niveaux de l'école" }));
    var inputs = [];
    niveaux.forEach(function (n) {
      var label = n.ref + (n.nom && n.nom !== n.ref ? " — " + n.nom : "") +
        (n.nb_classes ? " (" + plural(n.nb_classes, "classe", "classes") + ")" : "");
      var c = checkbox(label, { checked: !!n.actif, "data-ref": n.ref });
      inputs.push(c.input);
      fs.appendChild(c.row);
    });
    var save = button("Enregistrer les niveaux", function () {
      busy(save, "Enregistrement des niveaux…", function () {
        var actifs = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.getAttribute("data-ref"); });
        return call("niveaux.set", { actifs: actifs }).then(function (r) {
          renderNiveaux(box, r);
          showNotice("Niveaux enregistrés : " + (actifs.join(", ") || "aucun") + ".");
        });
      });
    }, { class: "principal" });
    append(box, [fs, el("div", { class: "actions" }, save)]);
  }

  // ---------------------------------------------------------------------------------------
  // Paliers
  // ---------------------------------------------------------------------------------------

  function viewPaliers(section) {
    append(section, heading("Paliers du socle"));
    append(section, el("p", { text: "Cochez les paliers utilisés par l'école (palier 1 et palier 2 pour une école élémentaire), puis validez. Seuls les paliers choisis apparaissent dans les écrans de validation." }));
    var box = el("div");
    section.appendChild(box);
    return call("paliers.list").then(function (paliers) { renderPaliers(box, paliers); });
  }

  function renderPaliers(box, paliers) {
    clear(box);
    var fs = el("fieldset", { class: "liste-cases" }, el("legend", { text: "Paliers" }));
    var inputs = [];
    paliers.forEach(function (p) {
      var c = checkbox(p.nom, { checked: !!p.actif, "data-id": p.id });
      inputs.push(c.input);
      fs.appendChild(c.row);
    });
    var save = button("Valider ce choix de paliers", function () {
      busy(save, "Enregistrement des paliers…", function () {
        var actifs = inputs.filter(function (i) { return i.checked; }).map(function (i) { return Number(i.getAttribute("data-id")); });
        return call("paliers.set", { actifs: actifs }).then(function (r) {
          renderPaliers(box, r);
          var names = r.filter(function (p) { return p.actif; }).map(function (p) { return p.nom; });
          showNotice("Choix des paliers enregistré : " + (names.join(" ; ") || "aucun palier") + ".");
        });
      });
    }, { class: "principal" });
    append(box, [fs, el("div", { class: "actions" }, save)]);
  }

  // ---------------------------------------------------------------------------------------
  // Import des élèves (Base-Élèves), five steps
  // ---------------------------------------------------------------------------------------

  var IMPORT_STEPS = ["Récupération du fichier", "Extraction des données", "Classes", "Élèves", "Confirmation"];
  var FIELD_LABELS = { nom: "Nom de l'élève", prenom: "Prénom de l'élève", niveau: "Niveau", classe: "Classe" };

  function viewImport(section) {
    var wiz = { step: 1, file: null, read: null, mapping: null, plan: null, classes: {}, done: null };
    state.leaveGuard = function () {
      if (wiz.file && !wiz.done) {
        return window.confirm("L'import des élèves n'est pas terminé : rien n'a encore été modifié. Quitter l'assistant ?");
      }
      return true;
    };
    append(section, heading("Importer les élèves"));
    append(section, el("p", { text: "Source : l'« Extraction – format CSV » de tous les élèves de l'école, depuis Base-Élèves ou ONDE. Rien n'est modifié avant la confirmation de la dernière étape." }));
    var stepsNav = el("ol", { class: "etapes", "aria-label": "Étapes de l'import" });
    var body = el("div", { class: "etape" });
    var actions = el("div", { class: "actions navigation-etapes" });
    append(section, [stepsNav, body, actions]);

    function payload(extra) {
      var p = { data: wiz.file.data, filename: wiz.file.name };
      if (wiz.mapping) p.mapping = wiz.mapping;
      return Object.assign(p, extra || {});
    }

    function waitPandas() {
      setBusyText("Chargement du module d'import (quelques secondes)…");
      return window.Cartable.whenPandas();
    }

    function render() {
      clear(stepsNav);
      IMPORT_STEPS.forEach(function (name, i) {
        var li = el("li", { class: i + 1 === wiz.step ? "en-cours" : (i + 1 < wiz.step ? "faite" : "") },
          el("span", { class: "numero", text: String(i + 1) }), " " + name);
        if (i + 1 === wiz.step) li.setAttribute("aria-current", "step");
        stepsNav.appendChild(li);
      });
      clear(body);
      clear(actions);
      body.appendChild(el("h3", { text: "Étape " + wiz.step + " — " + IMPORT_STEPS[wiz.step - 1], tabindex: "-1" }));
      [null, step1, step2, step3, step4, step5][wiz.step]();
      var h3 = body.querySelector("h3");
      if (h3) h3.focus();
    }

    function nav(prevOk, nextLabel, nextFn, nextDisabled) {
      if (prevOk) {
        actions.appendChild(button("Précédent", function () { wiz.step -= 1; render(); }, { class: "secondaire" }));
      }
      if (nextLabel) {
        var next = button(nextLabel, function () { nextFn(next); }, { class: "principal", disabled: !!nextDisabled, id: "etape-suivante" });
        actions.appendChild(next);
        return next;
      }
      return null;
    }

    function step1() {
      var input = el("input", { type: "file", id: "fichier-eleves", accept: ".csv,.txt,text/csv,text/plain" });
      var chosen = el("p", { class: "fichier-choisi", "aria-live": "polite",
        text: wiz.file ? "Fichier choisi : " + wiz.file.name + " (" + fmtSize(wiz.file.data.length) + ")" : "Aucun fichier choisi." });
      var zone = el("div", { class: "depot" },
        el("p", { text: "Déposez ici le fichier CSV (glisser-déposer), ou choisissez-le :" }),
        el("label", { for: "fichier-eleves", class: "etiquette-fichier", text: "Fichier CSV de Base-Élèves (extraction de tous les élèves)" }),
        filePicker(input), chosen);
      body.appendChild(zone);
      var next;
      function take(file) {
        if (!file) return;
        busy(null, "Lecture du fichier…", function () {
          return readFile(file).then(function (data) {
            wiz.file = { name: file.name, data: data };
            wiz.read = null; wiz.plan = null; wiz.mapping = null; wiz.classes = {};
            chosen.textContent = "Fichier choisi : " + file.name + " (" + fmtSize(data.length) + ")";
            next.disabled = false;
          });
        });
      }
      input.addEventListener("change", function () { take(input.files && input.files[0]); });
      zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("survol"); });
      zone.addEventListener("dragleave", function () { zone.classList.remove("survol"); });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        zone.classList.remove("survol");
        take(e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0]);
      });
      next = nav(false, "Suivant", function (btn) {
        busy(btn, "Chargement du module d'import (quelques secondes)…", function () {
          return waitPandas().then(function () {
            setBusyText("Lecture du fichier et recherche des colonnes…");
            return call("base_eleves.read", { data: wiz.file.data, filename: wiz.file.name });
          }).then(function (read) {
            wiz.read = read;
            wiz.mapping = Object.assign({}, read.mapping);
            if (read.missing && read.missing.length) { wiz.plan = null; wiz.step = 2; render(); return; }
            setBusyText("Extraction des données…");
            return call("base_eleves.plan", payload()).then(function (plan) {
              wiz.plan = plan; wiz.classes = {}; wiz.step = 2; render();
            });
          });
        });
      }, !wiz.file);
    }

    function step2() {
      var read = wiz.read;
      if (read) {
        body.appendChild(el("p", { class: "aide", text: "Fichier lu (encodage " + read.encoding + ", séparateur « " +
          (read.separator === "\t" ? "tabulation" : read.separator) + " »" +
          (typeof read.nb_lignes === "number" ? ", " + plural(read.nb_lignes, "ligne", "lignes") : "") + ")." }));
      }
      if (read && read.missing && read.missing.length) {
        var missingNames = read.missing.map(function (f) { return FIELD_LABELS[f] || f; }).join(", ");
        body.appendChild(el("p", { class: "alerte avertissement", text: "Certaines colonnes n'ont pas été reconnues (" + missingNames +
          "). Indiquez ci-dessous quelle colonne du fichier correspond à chaque information." }));
        var fs = el("fieldset", { class: "correspondance" }, el("legend", { text: "Correspondance des colonnes" }));
        var selects = {};
        ["nom", "prenom", "niveau", "classe"].forEach(function (f) {
          var id = nextId("col");
          var sel = el("select", { id: id, "data-champ": f });
          sel.appendChild(el("option", { value: "", text: "— choisir une colonne —" }));
          read.headers.forEach(function (hname) {
            sel.appendChild(el("option", { value: hname, text: hname, selected: wiz.mapping && wiz.mapping[f] === hname }));
          });
          selects[f] = sel;
          fs.appendChild(el("div", { class: "champ" }, el("label", { for: id, text: FIELD_LABELS[f] }), sel));
        });
        var apply = button("Utiliser ces colonnes", function () {
          busy(apply, "Extraction des données…", function () {
            var mapping = {};
            Object.keys(selects).forEach(function (f) { mapping[f] = selects[f].value || null; });
            var none = Object.keys(mapping).filter(function (f) { return !mapping[f]; });
            if (none.length) {
              throw new Error("Choisissez une colonne pour : " + none.map(function (f) { return FIELD_LABELS[f]; }).join(", ") + ".");
            }
            wiz.mapping = mapping;
            return waitPandas().then(function () {
              return call("base_eleves.plan", payload());
            }).then(function (plan) { wiz.plan = plan; wiz.classes = {}; render(); });
          });
        }, { class: "principal" });
        append(fs, el("div", { class: "actions" }, apply));
        body.appendChild(fs);
      }
      var plan = wiz.plan;
      if (plan) {
        body.appendChild(el("p", { class: "bilan", id: "bilan-extraction",
          text: plan.message || (plural(plan.nb_eleves, "élève trouvé", "élèves trouvés") + ", " + plural(plan.nb_classes, "classe trouvée", "classes trouvées") + ".") }));
        if (plan.niveaux_a_activer && plan.niveaux_a_activer.length) {
          body.appendChild(el("p", { class: "alerte information", text: "Niveaux présents dans le fichier mais pas encore cochés dans l'école, qui seront ajoutés à l'import : " + plan.niveaux_a_activer.join(", ") + "." }));
        }
        if (plan.rejets && plan.rejets.length) {
          body.appendChild(el("p", { text: plural(plan.rejets.length, "ligne a été rejetée", "lignes ont été rejetées") + " :" }));
          var t = el("table", { class: "tableau", id: "rejets" },
            el("caption", { text: "Lignes rejetées" }),
            el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Ligne" }), el("th", { scope: "col", text: "Raison" }))));
          var tb = el("tbody");
          plan.rejets.forEach(function (r) {
            tb.appendChild(el("tr", {}, el("td", { text: String(r.ligne) }), el("td", { text: r.raison })));
          });
          t.appendChild(tb);
          body.appendChild(el("div", { class: "defilement" }, t));
        } else {
          body.appendChild(el("p", { text: "Aucune ligne rejetée." }));
        }
      }
      nav(true, "Suivant", function () { wiz.step = 3; render(); }, !plan);
    }

    var ACTION_LABELS = { ajouter: "à créer", garder: "à garder", retirer: "à retirer" };

    function step3() {
      var plan = wiz.plan;
      var counts = { ajouter: 0, garder: 0, retirer: 0 };
      plan.classes.forEach(function (c) { counts[c.action] = (counts[c.action] || 0) + 1; });
      body.appendChild(el("p", { text: plural(counts.ajouter, "classe à créer", "classes à créer") + ", " +
        plural(counts.garder, "classe à garder", "classes à garder") + ", " + plural(counts.retirer, "classe à retirer", "classes à retirer") +
        ". Vous pouvez renommer une classe, ou la décocher pour ne pas appliquer l'action prévue." }));
      var t = el("table", { class: "tableau", id: "classes-import" },
        el("caption", { text: "Classes" }),
        el("thead", {}, el("tr", {},
          ["Appliquer", "Action", "Nom de la classe", "Référence", "Niveau", "Classe Base-Élèves", "Élèves", "Remarque"].map(function (hname) {
            return el("th", { scope: "col", text: hname });
          }))));
      var tb = el("tbody");
      plan.classes.forEach(function (c) {
        var choice = wiz.classes[c.key] || (wiz.classes[c.key] = c.ignorer ? { ignorer: true } : {});
        var tick = el("input", { type: "checkbox", checked: !choice.ignorer, "aria-label": "Appliquer l'action « " + (ACTION_LABELS[c.action] || c.action) + " » à la classe " + c.nom });
        tick.addEventListener("change", function () { choice.ignorer = !tick.checked; if (!choice.ignorer) delete choice.ignorer; });
        var nameCell;
        if (c.action === "retirer") {
          nameCell = el("td", { text: c.nom });
        } else {
          var name = el("input", { type: "text", value: choice.nom !== undefined ? choice.nom : c.nom, "aria-label": "Nom de la classe " + c.nom, class: "nom-classe" });
          name.addEventListener("input", function () {
            if (name.value.trim() && name.value.trim() !== c.nom) choice.nom = name.value.trim(); else delete choice.nom;
          });
          nameCell = el("td", {}, name);
        }
        tb.appendChild(el("tr", { class: "action-" + c.action },
          el("td", {}, tick), el("td", { text: ACTION_LABELS[c.action] || c.action }), nameCell,
          el("td", { text: c.ref || "" }), el("td", { text: c.niveau || "" }), el("td", { text: c.source || "" }),
          el("td", { class: "nombre", text: c.nb_eleves === undefined ? "" : String(c.nb_eleves) }),
          el("td", { text: [c.ancien_nom ? "Nom actuel : " + c.ancien_nom : "", c.detail || ""].filter(Boolean).join(" ") })));
      });
      t.appendChild(tb);
      body.appendChild(el("div", { class: "defilement" }, t));
      nav(true, "Suivant", function () {
        var empty = plan.classes.filter(function (c) { var ch = wiz.classes[c.key]; return ch && ch.nom !== undefined && !ch.nom.trim(); });
        if (empty.length) { showError(new Error("Donnez un nom à chaque classe.")); return; }
        var btn = document.getElementById("etape-suivante");
        busy(btn, "Prise en compte de vos choix…", function () {
          return waitPandas().then(function () {
            setBusyText("Prise en compte de vos choix…");
            return call("base_eleves.plan", payload({ classes: wiz.classes }));
          }).then(function (plan2) {
            wiz.plan = plan2;
            wiz.step = 4; render();
          });
        });
      });
    }

    function pupilTable(list, withOld, id) {
      var heads = ["Nom", "Prénom", "Niveau", "Classe"];
      if (withOld) heads.push("Ancienne classe");
      heads.push("Remarque");
      var t = el("table", { class: "tableau", id: id },
        el("thead", {}, el("tr", {}, heads.map(function (hname) { return el("th", { scope: "col", text: hname }); }))));
      var tb = el("tbody");
      list.forEach(function (e) {
        var tr = el("tr", {}, el("td", { text: e.nom }), el("td", { text: e.prenom }), el("td", { text: e.niveau || "" }), el("td", { text: e.classe || "" }));
        if (withOld) tr.appendChild(el("td", { text: e.ancienne_classe || "" }));
        var remarks = [];
        if (e.ligne) remarks.push("ligne " + e.ligne);
        if (e.changements && e.changements.length) remarks.push("changement : " + e.changements.join(", "));
        if (e.ancien_nom) remarks.push("ancien nom : " + e.ancien_nom);
        if (e.raison) remarks.push(e.raison);
        tr.appendChild(el("td", { text: remarks.join(" ; ") }));
        tb.appendChild(tr);
      });
      t.appendChild(tb);
      return el("div", { class: "defilement" }, t);
    }

    function step4() {
      var ev = wiz.plan.eleves;
      var n = function (k) { return (ev[k] || []).length; };
      body.appendChild(el("p", { class: "bilan", id: "bilan-eleves", text:
        plural(n("ajouter"), "élève à ajouter", "élèves à ajouter") + ", " +
        plural(n("modifier"), "élève à modifier (changement de classe)", "élèves à modifier (changement de classe)") + ", " +
        plural(n("desactiver"), "élève à désactiver", "élèves à désactiver") + ", " +
        plural(n("ambigus"), "cas ambigu", "cas ambigus") + ", " +
        plural(ev.inchanges || 0, "élève inchangé", "élèves inchangés") + "." }));
      var groups = [
        ["ajouter", "Élèves à ajouter", false, ""],
        ["modifier", "Élèves à modifier (changement de classe)", true, ""],
        ["desactiver", "Élèves à désactiver (absents du fichier)", false,
          "Ces élèves ne sont plus dans le fichier : ils seront désactivés, jamais supprimés, et leurs validations sont conservées."],
        ["ambigus", "Cas ambigus", false,
          "Plusieurs élèves portent le même nom et le même prénom : Cartable ne devine pas. Ces lignes ne seront pas appliquées ; vérifiez-les dans Base-Élèves."],
      ];
      groups.forEach(function (g) {
        var list = ev[g[0]] || [];
        if (!list.length) return;
        var det = el("details", { class: "groupe-eleves", open: list.length <= 50 ? true : null },
          el("summary", { text: g[1] + " (" + list.length + ")" }));
        if (g[3]) det.appendChild(el("p", { class: "aide", text: g[3] }));
        det.appendChild(pupilTable(list, g[2], "eleves-" + g[0]));
        body.appendChild(det);
      });
      nav(true, "Suivant", function () { wiz.step = 5; render(); });
    }

    function step5() {
      if (wiz.done) {
        var r = wiz.done;
        body.appendChild(el("p", { class: "bilan", id: "bilan-import", text: r.message ||
          (plural(r.classes_ajoutees, "classe ajoutée", "classes ajoutées") + ", " + plural(r.eleves_ajoutes, "élève ajouté", "élèves ajoutés") + ".") }));
        body.appendChild(el("ul", {},
          el("li", { text: plural(r.classes_ajoutees || 0, "classe ajoutée", "classes ajoutées") }),
          r.classes_renommees ? el("li", { text: plural(r.classes_renommees, "classe renommée", "classes renommées") }) : null,
          r.classes_supprimees ? el("li", { text: plural(r.classes_supprimees, "classe supprimée", "classes supprimées") }) : null,
          el("li", { text: plural(r.eleves_ajoutes || 0, "élève ajouté", "élèves ajoutés") }),
          el("li", { text: plural(r.eleves_modifies || 0, "élève modifié", "élèves modifiés") }),
          el("li", { text: plural(r.eleves_desactives || 0, "élève désactivé", "élèves désactivés") }),
          r.niveaux_actives && r.niveaux_actives.length ? el("li", { text: "Niveaux ajoutés : " + r.niveaux_actives.join(", ") }) : null,
          r.ambigus && r.ambigus.length ? el("li", { text: plural(r.ambigus.length, "cas ambigu laissé de côté", "cas ambigus laissés de côté") }) : null));
        if (r.changements === 0) body.appendChild(el("p", { class: "alerte information", text: "Le fichier correspond déjà à l'école : rien n'a été modifié." }));
        body.appendChild(el("p", { text: "Nettoyage : les données temporaires de l'import ont été effacées." }));
        actions.appendChild(button("Terminer", function () { go("affectations"); }, { class: "principal", id: "terminer-import" }));
        actions.appendChild(button("Importer un autre fichier", function () { go("import", { force: true }); }, { class: "secondaire" }));
        return;
      }
      var plan = wiz.plan;
      var ignored = Object.keys(wiz.classes).filter(function (k) { return wiz.classes[k].ignorer; }).length;
      body.appendChild(el("p", { text: "Vérifiez puis confirmez. L'import va appliquer en une seule fois :" }));
      var ev = plan.eleves;
      body.appendChild(el("ul", {},
        el("li", { text: plural(plan.classes.filter(function (c) { return c.action === "ajouter" && !(wiz.classes[c.key] || {}).ignorer; }).length, "classe à créer", "classes à créer") }),
        el("li", { text: plural((ev.ajouter || []).length, "élève à ajouter", "élèves à ajouter") }),
        el("li", { text: plural((ev.modifier || []).length, "élève à modifier", "élèves à modifier") }),
        el("li", { text: plural((ev.desactiver || []).length, "élève à désactiver", "élèves à désactiver") }),
        ignored ? el("li", { text: plural(ignored, "classe décochée (ignorée)", "classes décochées (ignorées)") }) : null));
      if ((ev.desactiver || []).length) {
        body.appendChild(el("p", { class: "alerte avertissement", text: "Attention : " +
          plural(ev.desactiver.length, "élève absent du fichier sera désactivé", "élèves absents du fichier seront désactivés") +
          " (jamais supprimés : leurs validations sont conservées). Vérifiez que le fichier contient bien TOUS les élèves de l'école." }));
      }
      nav(true, "Confirmer l'import", function (btn) {
        busy(btn, "Import des élèves en cours…", function () {
          return waitPandas().then(function () {
            setBusyText("Import des élèves en cours…");
            return call("base_eleves.apply", payload({ classes: wiz.classes }));
          }).then(function (r) {
            wiz.done = r;
            wiz.file = null; wiz.read = null; wiz.plan = null; // Nettoyage
            render();
            showNotice(r.message || "Import terminé.");
          });
        });
      });
    }

    render();
  }

  // ---------------------------------------------------------------------------------------
  // Professeurs
  // ---------------------------------------------------------------------------------------

  function credentialsSheet(rows, title) {
    document.body.classList.add("avec-fiche");
    var t = el("table", { class: "tableau identifiants" },
      el("thead", {}, el("tr", {}, ["Nom", "Prénom", "Identifiant", "Mot de passe"].map(function (hname) {
        return el("th", { scope: "col", text: hname });
      }))));
    var tb = el("tbody");
    rows.forEach(function (r) {
      tb.appendChild(el("tr", {},
        el("td", { text: r.nom }), el("td", { text: r.prenom }),
        el("td", { class: "cred-login code", text: r.login }),
        el("td", { class: "cred-password code", text: r.password })));
    });
    t.appendChild(tb);
    var sheet = el("div", { class: "fiche-identifiants", role: "region", "aria-label": "Fiche d'identifiants" },
      el("h3", { text: title || "Identifiants de connexion" }),
      el("p", { class: "important", text: "Notez soigneusement ces identifiants : le mot de passe ne sera plus jamais affiché. Remettez cette fiche au professeur ; à sa première connexion, il choisira son propre mot de passe." }),
      t,
      el("p", { class: "aide", text: "École : " + ((state.status && state.status.school && state.status.school.nom) || "") + " — fiche éditée le " + new Date().toLocaleDateString("fr-FR") + "." }));
    var close = button("J'ai noté ces identifiants", function () {
      sheet.remove(); document.body.classList.remove("avec-fiche");
    }, { class: "secondaire" });
    var print = button("Imprimer", function () { window.print(); }, { class: "principal" });
    sheet.appendChild(el("div", { class: "actions" }, print, close));
    return sheet;
  }

  function viewProfesseurs(section) {
    append(section, heading("Professeurs"));
    var sheetBox = el("div", { class: "zone-fiche" });
    var form = el("form", { class: "formulaire en-ligne", novalidate: true });
    var nom = field("Nom", { name: "nom", required: true });
    var prenom = field("Prénom", { name: "prenom", required: true });
    var login = field("Identifiant (facultatif)", { name: "login" }, "Vide : fabriqué automatiquement (jea.delafont).");
    var pwd = field("Mot de passe (facultatif)", { name: "password", autocomplete: "new-password" }, "Vide : généré automatiquement.");
    var submit = el("button", { type: "submit", class: "principal", text: "Créer le professeur" });
    append(form, [el("fieldset", {}, el("legend", { text: "Nouveau professeur" }), nom.row, prenom.row, login.row, pwd.row,
      el("div", { class: "actions" }, submit))]);
    var listBox = el("div");
    append(section, [sheetBox, form, el("h3", { text: "Liste des professeurs" }), listBox]);

    function showSheet(rows, title) { clear(sheetBox); sheetBox.appendChild(credentialsSheet(rows, title)); sheetBox.scrollIntoView && sheetBox.scrollIntoView(); }

    function reload() { return call("professeurs.list").then(function (list) { renderList(list); }); }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      busy(submit, "Création du compte…", function () {
        if (!nom.input.value.trim() || !prenom.input.value.trim()) throw new Error("Indiquez le nom et le prénom du professeur.");
        var payload = { nom: nom.input.value.trim(), prenom: prenom.input.value.trim() };
        if (login.input.value.trim()) payload.login = login.input.value.trim();
        if (pwd.input.value) payload.password = pwd.input.value;
        return call("professeurs.create", payload).then(function (r) {
          showSheet([{ nom: payload.nom, prenom: payload.prenom, login: r.login, password: r.password }], "Identifiants du nouveau professeur");
          nom.input.value = ""; prenom.input.value = ""; login.input.value = ""; pwd.input.value = "";
          showNotice("Compte créé pour " + payload.prenom + " " + payload.nom + " (identifiant « " + r.login + " »).");
          return reload();
        });
      });
    });

    function renderList(list) {
      clear(listBox);
      if (!list.length) { listBox.appendChild(el("p", { text: "Aucun professeur pour l'instant." })); return; }
      var t = el("table", { class: "tableau", id: "liste-professeurs" },
        el("thead", {}, el("tr", {}, ["Nom", "Prénom", "Identifiant", "État", "Classes", "Actions"].map(function (hname) {
          return el("th", { scope: "col", text: hname });
        }))));
      var tb = el("tbody");
      list.forEach(function (p) { tb.appendChild(row(p)); });
      t.appendChild(tb);
      listBox.appendChild(el("div", { class: "defilement" }, t));

      function row(p) {
        var etat = !p.actif ? "désactivé" : (p.must_change_password ? "compte à activer" : "actif");
        var tr = el("tr", { "data-id": p.id });
        var edit = button("Modifier", function () { tr.replaceWith(editRow(p)); }, { class: "petit" });
        var reset = button("Réinitialiser le mot de passe", function () {
          if (!window.confirm("Réinitialiser le mot de passe de " + p.prenom + " " + p.nom + " ? L'ancien ne fonctionnera plus.")) return;
          busy(reset, "Réinitialisation…", function () {
            return call("professeurs.reset_password", { id: p.id }).then(function (r) {
              showSheet([{ nom: p.nom, prenom: p.prenom, login: r.login, password: r.password }], "Nouveau mot de passe");
              return reload();
            });
          });
        }, { class: "petit" });
        var toggle = button(p.actif ? "Désactiver" : "Activer", function () {
          busy(toggle, "Enregistrement…", function () {
            return call("professeurs.set_actif", { id: p.id, actif: !p.actif }).then(reload);
          });
        }, { class: "petit" });
        var del = button("Supprimer", function () {
          if (!window.confirm("Supprimer le compte de " + p.prenom + " " + p.nom + " ? Ses décisions de validation sont conservées.")) return;
          busy(del, "Suppression…", function () {
            return call("professeurs.delete", { id: p.id }).then(function () {
              showNotice("Le compte de " + p.prenom + " " + p.nom + " a été supprimé.");
              return reload();
            });
          });
        }, { class: "petit danger" });
        append(tr, [el("td", { text: p.nom }), el("td", { text: p.prenom }), el("td", { class: "code", text: p.login }),
          el("td", { text: etat }), el("td", { text: String((p.classes || []).length) }),
          el("td", { class: "boutons" }, edit, reset, toggle, del)]);
        return tr;
      }

      function editRow(p) {
        var tr = el("tr", { "data-id": p.id, class: "edition" });
        var n = el("input", { type: "text", value: p.nom, "aria-label": "Nom" });
        var pr = el("input", { type: "text", value: p.prenom, "aria-label": "Prénom" });
        var lg = el("input", { type: "text", value: p.login, "aria-label": "Identifiant" });
        var save = button("Enregistrer", function () {
          busy(save, "Enregistrement…", function () {
            return call("professeurs.update", { id: p.id, nom: n.value.trim(), prenom: pr.value.trim(), login: lg.value.trim() })
              .then(function () { showNotice("Professeur modifié."); return reload(); });
          });
        }, { class: "petit principal" });
        var cancel = button("Annuler", function () { tr.replaceWith(row(p)); }, { class: "petit" });
        append(tr, [el("td", {}, n), el("td", {}, pr), el("td", {}, lg), el("td"), el("td"), el("td", { class: "boutons" }, save, cancel)]);
        return tr;
      }
    }

    return reload();
  }

  // ---------------------------------------------------------------------------------------
  // Professeurs & classes
  // ---------------------------------------------------------------------------------------

  function viewAffectations(section) {
    append(section, heading("Professeurs & classes"));
    append(section, el("p", { text: "Cochez les classes de chaque professeur (chaque case est enregistrée aussitôt). Puis, plus bas, choisissez le professeur principal de chaque classe : c'est lui ou elle qui valide le socle pour les élèves de la classe." }));
    var box = el("div");
    section.appendChild(box);
    return call("affectations.list").then(function (data) { render(data); });

    function render(data) {
      clear(box);
      var profs = data.professeurs || [];
      var classes = data.classes || [];
      if (!profs.length || !classes.length) {
        box.appendChild(el("p", { class: "alerte avertissement", text: !profs.length ?
          "Créez d'abord les comptes des professeurs (menu Professeurs)." : "Importez d'abord les élèves : les classes sont créées par l'import." }));
        if (!profs.length || !classes.length) return;
      }
      var affected = {};
      var principal = {};
      (data.affectations || []).forEach(function (a) {
        affected[a.professeur_id + ":" + a.classe_id] = true;
        if (a.principal) principal[a.classe_id] = a.professeur_id;
      });
      var t = el("table", { class: "tableau grille-affectations", id: "grille-affectations" },
        el("caption", { text: "Classes des professeurs" }));
      var head = el("tr", {}, el("th", { scope: "col", text: "Professeur" }));
      classes.forEach(function (c) { head.appendChild(el("th", { scope: "col", text: c.nom + (c.niveau ? " (" + c.niveau + ")" : "") })); });
      t.appendChild(el("thead", {}, head));
      var tb = el("tbody");
      profs.forEach(function (p) {
        var tr = el("tr", {}, el("th", { scope: "row", text: p.nom + " " + p.prenom + (p.actif === false ? " (désactivé)" : "") }));
        classes.forEach(function (c) {
          var cb = el("input", { type: "checkbox", checked: !!affected[p.id + ":" + c.id],
            "aria-label": p.prenom + " " + p.nom + " enseigne en " + c.nom, "data-prof": p.id, "data-classe": c.id });
          cb.addEventListener("change", function () {
            busy(cb, "Enregistrement…", function () {
              return call("affectations.set", { professeur_id: p.id, classe_id: c.id, affecte: cb.checked }).then(function (d) {
                render(d);
                var again = box.querySelector('input[data-prof="' + p.id + '"][data-classe="' + c.id + '"]');
                if (again) again.focus();
              }).catch(function (e) { cb.checked = !cb.checked; throw e; });
            });
          });
          tr.appendChild(el("td", { class: "centre" }, cb));
        });
        tb.appendChild(tr);
      });
      t.appendChild(tb);
      box.appendChild(el("div", { class: "defilement" }, t));

      box.appendChild(el("h3", { text: "Professeurs principaux" }));
      var list = el("div", { class: "principaux" });
      classes.forEach(function (c) {
        var id = nextId("pp");
        var sel = el("select", { id: id, "data-classe": c.id });
        sel.appendChild(el("option", { value: "", text: "— aucun —" }));
        profs.forEach(function (p) {
          sel.appendChild(el("option", { value: String(p.id), text: p.nom + " " + p.prenom, selected: principal[c.id] === p.id }));
        });
        sel.addEventListener("change", function () {
          busy(sel, "Enregistrement…", function () {
            return call("affectations.set_principal", { classe_id: c.id, professeur_id: sel.value ? Number(sel.value) : null })
              .then(function (d) {
                render(d);
                showNotice(sel.value ? "Professeur principal de " + c.nom + " enregistré." : "La classe " + c.nom + " n'a plus de professeur principal.");
                var again = box.querySelector('select[data-classe="' + c.id + '"]');
                if (again) again.focus();
              });
          });
        });
        list.appendChild(el("div", { class: "champ" },
          el("label", { for: id, text: "Professeur principal de " + c.nom + (c.niveau ? " (" + c.niveau +
            (typeof c.nb_eleves === "number" ? ", " + plural(c.nb_eleves, "élève", "élèves") : "") + ")" : "") }), sel));
      });
      box.appendChild(list);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Validation: selection, then grid
  // ---------------------------------------------------------------------------------------

  function viewValidation(level) {
    return function (section, opts) {
      var title = level === "items" ? "Valider les items" : "Valider les compétences";
      append(section, heading(title));
      if (opts && opts.grid) { renderGridScreen(section, opts.grid); return; }
      return selectionScreen(section, level);
    };
  }

  function selectionScreen(section, level) {
    var sel = state.validation || (state.validation = { palier_id: null, classe_id: null, eleve_ids: null, competence_id: null, done: {} });
    var box = el("div", { class: "selection" });
    section.appendChild(box);
    var choices, referentiel, eleves;

    return call("validation.choices").then(function (c) {
      choices = c;
      if (!c.paliers.length) {
        box.appendChild(el("p", { class: "alerte avertissement", text: isDirector() ?
          "Aucun palier n'est activé : choisissez d'abord les paliers (menu Paliers du socle)." :
          "Aucun palier n'est activé : demandez au directeur de choisir les paliers du socle." }));
        return;
      }
      if (!c.classes.length) {
        box.appendChild(el("p", { class: "alerte avertissement", text: isDirector() ?
          "Aucune classe : importez d'abord les élèves (menu Importer les élèves)." :
          "Vous n'êtes professeur principal d'aucune classe : demandez au directeur de vous attribuer votre classe." }));
        return;
      }
      if (!sel.palier_id || !c.paliers.some(function (p) { return p.id === sel.palier_id; })) {
        var p2 = c.paliers.filter(function (p) { return p.id === 2; })[0];
        sel.palier_id = (p2 || c.paliers[0]).id;
      }
      if (!sel.classe_id || !c.classes.some(function (k) { return k.id === sel.classe_id; })) {
        sel.classe_id = c.classes[0].id; sel.eleve_ids = null;
      }
      return buildForm();
    });

    function buildForm() {
      clear(box);
      var form = el("form", { class: "formulaire", novalidate: true });
      // Palier
      var pid = nextId("palier");
      var palierSel = el("select", { id: pid });
      choices.paliers.forEach(function (p) { palierSel.appendChild(el("option", { value: String(p.id), text: p.nom, selected: p.id === sel.palier_id })); });
      // Classe
      var cid = nextId("classe");
      var classeSel = el("select", { id: cid });
      choices.classes.forEach(function (k) {
        classeSel.appendChild(el("option", { value: String(k.id), text: k.nom + (k.niveau ? " (" + k.niveau + ")" : ""), selected: k.id === sel.classe_id }));
      });
      var elevesBox = el("fieldset", { class: "liste-eleves" }, el("legend", { text: "Élèves" }));
      var compBox = el("fieldset", { class: "liste-competences" }, el("legend", { text: level === "items" ? "Compétence" : "Compétences" }));
      var submit = el("button", { type: "submit", class: "principal", text: "Afficher le tableau des validations", id: "afficher-tableau" });
      append(form, [
        el("div", { class: "champ" }, el("label", { for: pid, text: "Palier" }), palierSel),
        el("div", { class: "champ" }, el("label", { for: cid, text: "Classe" }), classeSel),
        elevesBox, level === "items" ? compBox : null,
        el("div", { class: "actions" }, submit)]);
      box.appendChild(form);

      palierSel.addEventListener("change", function () {
        sel.palier_id = Number(palierSel.value); sel.competence_id = null; sel.done = {};
        loadReferentiel();
      });
      classeSel.addEventListener("change", function () {
        sel.classe_id = Number(classeSel.value); sel.eleve_ids = null; sel.done = {};
        loadEleves();
      });

      function loadEleves() {
        clear(elevesBox);
        elevesBox.appendChild(el("legend", { text: "Élèves" }));
        return call("eleves.list", { classe_id: sel.classe_id }).then(function (list) {
          eleves = list;
          if (!list.length) { elevesBox.appendChild(el("p", { text: "Cette classe n'a aucun élève." })); return; }
          var keep = sel.eleve_ids ? new Set(sel.eleve_ids) : null;
          var tools = el("div", { class: "outils" },
            button("Tout cocher", function () { setAll(true); }, { class: "petit" }),
            button("Tout décocher", function () { setAll(false); }, { class: "petit" }));
          var grid = el("div", { class: "cases-eleves" });
          var inputs = [];
          list.forEach(function (e) {
            var c = checkbox(fullName(e), { checked: keep ? keep.has(e.id) : true, "data-id": e.id });
            inputs.push(c.input);
            grid.appendChild(c.row);
          });
          function setAll(v) { inputs.forEach(function (i) { i.checked = v; }); }
          elevesBox.inputs = inputs;
          append(elevesBox, [tools, grid]);
        });
      }

      function loadReferentiel() {
        if (level !== "items") return Promise.resolve();
        clear(compBox);
        compBox.appendChild(el("legend", { text: "Compétence" }));
        return call("referentiel.get", { palier_id: sel.palier_id }).then(function (ref) {
          referentiel = ref;
          var palier = ref.filter(function (p) { return p.id === sel.palier_id; })[0] || ref[0];
          if (!palier) return;
          var comps = palier.competences;
          if (!sel.competence_id || !comps.some(function (k) { return k.id === sel.competence_id; })) {
            var next = comps.filter(function (k) { return !sel.done[k.id]; })[0] || comps[0];
            sel.competence_id = next.id;
          }
          var name = nextId("competence");
          comps.forEach(function (k) {
            var id = nextId("comp");
            var r = el("input", { type: "radio", name: name, id: id, value: String(k.id), checked: k.id === sel.competence_id, "data-ref": k.ref });
            r.addEventListener("change", function () { if (r.checked) sel.competence_id = k.id; });
            var done = sel.done[k.id] ? el("span", { class: "deja-vue", text: " (déjà ouverte)" }) : null;
            compBox.appendChild(el("div", { class: "case" }, r, el("label", { for: id }, k.nom, done)));
          });
        });
      }

      form.addEventListener("submit", function (e) {
        e.preventDefault();
        busy(submit, "Préparation du tableau…", function () {
          var ids = (elevesBox.inputs || []).filter(function (i) { return i.checked; }).map(function (i) { return Number(i.getAttribute("data-id")); });
          if (!ids.length) throw new Error("Cochez au moins un élève.");
          sel.eleve_ids = ids;
          var payload = { palier_id: sel.palier_id, classe_id: sel.classe_id, eleve_ids: ids,
            competence_id: level === "items" ? sel.competence_id : null };
          if (level === "items" && !sel.competence_id) throw new Error("Choisissez une compétence.");
          return call("validation.grid", payload).then(function (grid) {
            go(level, { grid: grid, force: true, noFocus: true });
          });
        });
      });

      return Promise.all([loadEleves(), loadReferentiel()]);
    }
  }

  // -- the grid -----------------------------------------------------------------------------

  var ETATS = {
    "1": { cls: "etat-valide", sym: "✓", label: "validé", verb: "Validé" },
    "0": { cls: "etat-invalide", sym: "✗", label: "invalidé", verb: "Invalidé" },
    "null": { cls: "etat-aucun", sym: "?", label: "pas de décision", verb: "" },
  };

  var ARROW_ACTIONS = { "1": "tout valider", "0": "tout invalider", "null": "tout effacer" };

  function etatKey(etat) { return etat === 1 || etat === true ? "1" : (etat === 0 || etat === false ? "0" : "null"); }

  var currentGrid = null; // {dirty, ...} while a grid is shown

  function hasUnsavedChanges() { return !!(currentGrid && currentGrid.dirty > 0); }

  function renderGridScreen(section, grid) {
    var level = grid.level;
    var g = {
      grid: grid,
      dirty: grid.dirty || 0,
      cells: {},      // "e:r" -> etat (current, from the core)
      saved: {},      // "e:r" -> {etat, date, info} (stored decisions)
      aid: grid.aid || {},
      nodes: {},      // "e:r" -> td
      arrows: grid.arrows || {}, // arrow key -> the state its next click sets
      arrowNodes: {}, // arrow key -> button
      aidNodes: {},   // eleve id -> node (items grid)
      queue: Promise.resolve(),
      pending: 0,
      showAid: !!(state.validation && state.validation.showAid),
    };
    currentGrid = g;
    var sel = state.validation || (state.validation = { done: {} });
    sel.palier_id = grid.palier_id;
    if (grid.classe) sel.classe_id = grid.classe.id;
    sel.eleve_ids = grid.eleves.map(function (e) { return e.id; });
    if (grid.competence) { sel.competence_id = grid.competence.id; sel.done = sel.done || {}; sel.done[grid.competence.id] = true; }

    loadCells(grid);

    state.leaveGuard = function () {
      if (!hasUnsavedChanges()) { currentGrid = null; return true; }
      if (window.confirm("Des validations ne sont pas enregistrées (" + plural(g.dirty, "modification", "modifications") +
        "). Quitter sans enregistrer ?")) {
        call("validation.discard").catch(function () {});
        forgetDraft();
        currentGrid = null;
        return true;
      }
      return false;
    };

    var lockedText = level === "competences" ? (isDirector() ?
      " Une compétence validée est verrouillée pour les professeurs ; vous pouvez annuler une validation en cliquant sur la case." :
      " Une compétence validée est verrouillée (« verrouillé ») : seul le directeur peut annuler cette validation.") : "";
    var subtitle = el("p", { class: "sous-titre" },
      el("strong", { text: grid.classe ? "Classe " + grid.classe.nom : "" }),
      grid.competence ? " — " + grid.competence.nom : " — Compétences du palier " + grid.palier_id);
    var legend = el("p", { class: "legende" },
      el("span", { class: "pastille etat-valide", text: "✓" }), " validé  ",
      el("span", { class: "pastille etat-invalide", text: "✗" }), " invalidé  ",
      el("span", { class: "pastille etat-aucun", text: "?" }), " pas de décision. ",
      "Un clic sur une case la fait passer de ? à ✓, puis ✗, puis ?. Les flèches règlent toute une colonne, une ligne ou tout le domaine (1er clic : tout valider, 2e : tout invalider, 3e : tout effacer). Au clavier : flèches pour se déplacer, Espace ou Entrée pour changer." + lockedText);
    var status = el("p", { class: "etat-brouillon", "aria-live": "polite", id: "etat-brouillon" });
    var saveBtn = button("Enregistrer les validations", save, { class: "principal", id: "enregistrer-validations" });
    var back = button("Retour", function () { goBack(); }, { class: "secondaire", id: "retour" });
    var aidBtn = button(g.showAid ? "Masquer les pourcentages" : "Afficher les pourcentages", function () {
      g.showAid = !g.showAid;
      if (state.validation) state.validation.showAid = g.showAid;
      aidBtn.textContent = g.showAid ? "Masquer les pourcentages" : "Afficher les pourcentages";
      aidBtn.setAttribute("aria-pressed", g.showAid ? "true" : "false");
      wrap.classList.toggle("avec-aide", g.showAid);
    }, { class: "secondaire", "aria-pressed": g.showAid ? "true" : "false", id: "basculer-pourcentages" });
    var printBtn = button("Imprimer", function () { window.print(); }, { class: "secondaire" });
    var toolbar = el("div", { class: "actions barre-grille" }, back, saveBtn, level === "items" ? aidBtn : null, printBtn, status);
    var wrap = el("div", { class: "grille-defilement" + (g.showAid ? " avec-aide" : "") });
    append(section, [subtitle, legend, toolbar, wrap]);
    var table = buildTable();
    wrap.appendChild(table);
    updateStatus();

    function loadCells(gr) {
      g.cells = {}; g.saved = {};
      Object.keys(gr.cells || {}).forEach(function (k) {
        var c = gr.cells[k];
        g.cells[k] = c.etat;
        if (c.date && !c.modifie) g.saved[k] = c;
      });
      g.aid = gr.aid || {};
      g.dirty = gr.dirty || 0;
      g.arrows = gr.arrows || {};
      Object.keys(g.arrowNodes || {}).forEach(function (k) { paintArrow(g.arrowNodes[k]); });
    }

    function lockedFor(row) {
      var set = {};
      (row.locked_for || []).forEach(function (id) { set[id] = true; });
      if (row.locked === true) grid.eleves.forEach(function (e) { set[e.id] = true; });
      return set;
    }

    function buildTable() {
      var t = el("table", { class: "grille grille-" + level, role: "grid", id: "grille-validations",
        "aria-label": level === "items" ? "Validations des items" : "Validations des compétences",
        "aria-rowcount": "-1" });
      // header: pupils
      var head = el("tr", { role: "row" });
      head.appendChild(el("th", { class: "coin", role: "columnheader", scope: "col" },
        el("span", { text: level === "items" ? "Items" : "Compétences" })));
      grid.eleves.forEach(function (e) {
        var aidNode = el("span", { class: "aide-eleve" });
        g.aidNodes[e.id] = aidNode;
        var th = el("th", { class: "eleve", role: "columnheader", scope: "col", title: fullName(e), "data-eleve": e.id,
          "data-nom": e.nom, "data-prenom": e.prenom },
          el("span", { class: "nom-vertical" }, el("span", { class: "nom", text: e.nom }), " ", el("span", { class: "prenom", text: e.prenom })),
          level === "items" ? aidNode : null);
        head.appendChild(th);
        if (level === "items") paintAid(e.id);
      });
      t.appendChild(el("thead", {}, head));

      g.nav = []; // rows of focusable elements, for the keyboard
      grid.domaines.forEach(function (d) {
        var tb = el("tbody", { class: "domaine", "data-domaine": d.id });
        // domaine header row with arrows
        var hr = el("tr", { class: "ligne-domaine", role: "row" });
        var navRow = [];
        var cornerBtn = arrowButton("↘", { kind: "domaine", domaine_id: d.id }, "domaine:" + d.id,
          "Tout le domaine « " + d.nom + " »", "fleche-domaine");
        navRow.push(cornerBtn);
        hr.appendChild(el("th", { class: "entete-domaine", role: "rowheader", scope: "row" }, cornerBtn, el("span", { class: "nom-domaine", text: d.nom })));
        grid.eleves.forEach(function (e) {
          var b = arrowButton("↓", { kind: "column", eleve_id: e.id, domaine_id: d.id }, "column:" + d.id + ":" + e.id,
            fullName(e) + ", toute la colonne du domaine « " + d.nom + " »", "fleche-colonne");
          b.setAttribute("data-eleve", e.id);
          navRow.push(b);
          hr.appendChild(el("td", { class: "cellule-fleche", role: "gridcell" }, b));
        });
        g.nav.push(navRow);
        tb.appendChild(hr);
        d.rows.forEach(function (r) {
          var locked = lockedFor(r);
          var tr = el("tr", { role: "row", "data-row": r.id });
          var rowNav = [];
          var rb = arrowButton("→", { kind: "row", row_id: r.id }, "row:" + r.id, "Toute la ligne « " + r.nom + " »", "fleche-ligne");
          rowNav.push(rb);
          tr.appendChild(el("th", { class: "entete-ligne", role: "rowheader", scope: "row" }, rb,
            el("span", { class: "nom-ligne", text: r.nom })));
          grid.eleves.forEach(function (e) {
            var key = e.id + ":" + r.id;
            var td = el("td", { class: "case-grille", role: "gridcell", tabindex: "-1", "data-key": key,
              "data-eleve": e.id, "data-row": r.id });
            td._eleve = e; td._row = r; td._locked = !!locked[e.id];
            if (td._locked) { td.classList.add("verrouille"); td.setAttribute("aria-disabled", "true"); }
            g.nodes[key] = td;
            paintCell(key);
            rowNav.push(td);
            tr.appendChild(td);
          });
          g.nav.push(rowNav);
          tb.appendChild(tr);
        });
        t.appendChild(tb);
      });

      // Interactions: one listener for the whole table.
      t.addEventListener("click", function (e) {
        var target = e.target.closest ? e.target.closest("td.case-grille, button.fleche") : null;
        if (!target || !t.contains(target)) return;
        focusNode(target);
        if (target.tagName === "TD") clickCell(target); else clickArrow(target);
      });
      t.addEventListener("keydown", onKey);
      // first focusable position
      var first = g.nav.length > 1 && g.nav[1][1] ? g.nav[1][1] : (g.nav[0] && g.nav[0][0]);
      if (first) first.setAttribute("tabindex", "0");
      g.focused = first;
      return t;
    }

    function arrowButton(symbol, target, key, label, cls) {
      var b = el("button", { type: "button", class: "fleche " + cls, tabindex: "-1", text: symbol, "data-fleche": key });
      b._target = target;
      b._label = label;
      b._key = key;
      g.arrowNodes[key] = b;
      paintArrow(b);
      return b;
    }

    function paintArrow(b) {
      var k = etatKey(g.arrows.hasOwnProperty(b._key) ? g.arrows[b._key] : 1);
      var text = b._label + " : prochain clic, " + ARROW_ACTIONS[k];
      b.setAttribute("aria-label", text);
      b.title = text;
      b.setAttribute("data-prochain", k);
    }

    function position(node) {
      for (var r = 0; r < g.nav.length; r++) {
        var c = g.nav[r].indexOf(node);
        if (c >= 0) return [r, c];
      }
      return null;
    }

    function focusNode(node) {
      if (!node) return;
      if (g.focused && g.focused !== node) g.focused.setAttribute("tabindex", "-1");
      node.setAttribute("tabindex", "0");
      g.focused = node;
      node.focus();
    }

    function onKey(e) {
      var pos = position(document.activeElement);
      if (!pos) return;
      var r = pos[0], c = pos[1];
      var rows = g.nav.length;
      switch (e.key) {
        case "ArrowUp": r = Math.max(0, r - 1); break;
        case "ArrowDown": r = Math.min(rows - 1, r + 1); break;
        case "ArrowLeft": c = Math.max(0, c - 1); break;
        case "ArrowRight": c = c + 1; break;
        case "Home": c = 0; if (e.ctrlKey) r = 0; break;
        case "End": c = g.nav[r].length - 1; if (e.ctrlKey) r = rows - 1; break;
        case "PageUp": r = Math.max(0, r - 10); break;
        case "PageDown": r = Math.min(rows - 1, r + 10); break;
        case " ":
        case "Spacebar":
        case "Enter":
          var node = document.activeElement;
          if (node.tagName !== "TD") return; // a button: its native click does it
          e.preventDefault();
          clickCell(node);
          return;
        default: return;
      }
      e.preventDefault();
      c = Math.min(c, g.nav[r].length - 1);
      focusNode(g.nav[r][c]);
    }

    function cellLabel(td) {
      var key = td.getAttribute("data-key");
      var et = ETATS[etatKey(g.cells[key])];
      var label = fullName(td._eleve) + ", " + td._row.nom + " : " + et.label;
      if (td._locked) label += " (verrouillé)";
      return label;
    }

    function paintCell(key) {
      var td = g.nodes[key];
      if (!td) return;
      var etat = g.cells[key];
      var k = etatKey(etat);
      var et = ETATS[k];
      td.classList.remove("etat-valide", "etat-invalide", "etat-aucun");
      td.classList.add(et.cls);
      td.setAttribute("data-etat", k);
      clear(td);
      td.appendChild(el("span", { class: "symbole", "aria-hidden": "true", text: et.sym }));
      if (td._locked) td.appendChild(el("span", { class: "verrou", "aria-hidden": "true", text: "verrouillé" }));
      if (level === "competences") {
        var a = g.aid[key];
        if (a && a.pourcentage !== undefined && a.pourcentage !== null) {
          td.appendChild(el("span", { class: "part", "aria-hidden": "true", text: Math.round(a.pourcentage) + " %" }));
        }
      }
      var saved = g.saved[key];
      var title = "";
      if (saved && etatKey(saved.etat) === k && k !== "null") {
        title = et.verb + " le " + fmtDate(saved.date) + (saved.info ? " par " + saved.info : "");
      } else if (saved || k !== "null") {
        title = "Modification non enregistrée (" + et.label + ")";
      } else {
        title = "Pas de décision";
      }
      if (level === "competences") {
        var share = g.aid[key];
        if (share && share.total !== undefined) title += " — items validés : " + share.valides + " sur " + share.total;
      }
      if (td._locked) title += " — verrouillé : seul le directeur peut annuler cette validation";
      td.title = title;
      var aria = cellLabel(td);
      if (saved && etatKey(saved.etat) === k && k !== "null") aria += ", " + title;
      if (level === "competences" && g.aid[key] && g.aid[key].total !== undefined) {
        aria += ", " + g.aid[key].valides + " items validés sur " + g.aid[key].total;
      }
      td.setAttribute("aria-label", aria);
    }

    function paintAid(eleveId) {
      var node = g.aidNodes[eleveId];
      if (!node) return;
      var a = g.aid[eleveId];
      clear(node);
      if (!a) return;
      node.appendChild(el("span", { class: "pourcentage", text: (a.pourcentage === undefined || a.pourcentage === null ? "" : Math.round(a.pourcentage) + " %") }));
      node.appendChild(el("span", { class: "compte" },
        el("span", { text: "✓" + (a.valides || 0) }), el("span", { text: "✗" + (a.invalides || 0) }),
        el("span", { text: "?" + (a.non_decides || 0) })));
      node.title = (a.valides || 0) + " validés, " + (a.invalides || 0) + " invalidés, " + (a.non_decides || 0) + " sans décision" +
        (a.pourcentage !== undefined && a.pourcentage !== null ? " (" + Math.round(a.pourcentage) + " %)" : "");
    }

    function updateStatus() {
      if (g.dirty > 0) {
        status.textContent = plural(g.dirty, "modification non enregistrée", "modifications non enregistrées") + ".";
        status.classList.add("a-enregistrer");
      } else {
        status.textContent = "Toutes les modifications sont enregistrées.";
        status.classList.remove("a-enregistrer");
      }
      // Count blues left (the goal is a table with no blue left).
      var blues = Object.keys(g.nodes).filter(function (k) { return etatKey(g.cells[k]) === "null"; }).length;
      status.textContent += " " + (blues ? plural(blues, "case sans décision", "cases sans décision") + "." : "Aucune case sans décision.");
    }

    function applyResult(r) {
      Object.keys(r.cells || {}).forEach(function (key) {
        var v = r.cells[key];
        g.cells[key] = (v && typeof v === "object") ? v.etat : v;
      });
      if (r.aid) {
        Object.keys(r.aid).forEach(function (k) { g.aid[k] = r.aid[k]; });
      }
      if (typeof r.dirty === "number") g.dirty = r.dirty;
      Object.keys(r.arrows || {}).forEach(function (k) {
        g.arrows[k] = r.arrows[k];
        if (g.arrowNodes[k]) paintArrow(g.arrowNodes[k]);
      });
      Object.keys(r.cells || {}).forEach(paintCell);
      if (level === "items") Object.keys(r.aid || {}).forEach(function (k) { paintAid(k); });
      else Object.keys(r.aid || {}).forEach(function (k) { if (g.nodes[k]) paintCell(k); });
      updateStatus();
    }

    function send(target, optimistic) {
      // Clicks are sent one after the other, in order; the painted state comes from the core.
      g.pending += 1;
      table.classList.add("en-cours");
      g.queue = g.queue.then(function () {
        return call("validation.click", { target: target }).then(function (r) {
          applyResult(r);
          // Keep the draft for an accidental reload; in a burst of clicks, the last one does.
          return g.pending > 1 ? null : saveDraft();
        }).catch(function (e) {
          if (optimistic) optimistic.forEach(paintCell); // back to the core's last state
          showError(e);
        });
      }).then(function () {
        g.pending -= 1;
        if (!g.pending) table.classList.remove("en-cours");
      });
      return g.queue;
    }

    function clickCell(td) {
      if (td._locked) {
        showNotice("Cette compétence est validée : elle est verrouillée. Seul le directeur peut annuler cette validation.", "avertissement");
        return;
      }
      var key = td.getAttribute("data-key");
      // Optimistic paint (bleu → vert → rouge → bleu); the result repaints from the core.
      var k = etatKey(g.cells[key]);
      var next = k === "null" ? 1 : (k === "1" ? 0 : null);
      var before = g.cells[key];
      g.cells[key] = next;
      paintCell(key);
      g.cells[key] = before;
      send({ kind: "cell", eleve_id: td._eleve.id, row_id: td._row.id }, [key]);
    }

    function clickArrow(b) {
      send(b._target, null);
    }

    function saveDraft() {
      return call("validation.draft").then(function (d) {
        try {
          if (d && g.dirty > 0) {
            window.localStorage.setItem(DRAFT_KEY, JSON.stringify({ login: state.user && state.user.login, at: new Date().toISOString(), draft: d }));
          } else {
            window.localStorage.removeItem(DRAFT_KEY);
          }
        } catch (e) { /* storage full or refused: the draft stays in the session */ }
      }).catch(function () { /* the draft copy is a convenience only */ });
    }

    function save() {
      busy(saveBtn, "Enregistrement des validations…", function () {
        return g.queue.then(function () { return call("validation.save"); }).then(function (r) {
          forgetDraft();
          if (!r.grid) {
            currentGrid = null;
            go(level, { force: true });
            showNotice(r.message || "Validations enregistrées.");
            return;
          }
          grid = r.grid;
          g.grid = grid;
          g.nodes = {}; g.arrowNodes = {}; g.aidNodes = {};
          loadCells(grid);
          // Rebuild the table: locks (validated compétences) and dates come from the result.
          var fresh = buildTable();
          wrap.replaceChild(fresh, table);
          table = fresh;
          updateStatus();
          clearMessages();
          showNotice(r.message || ("Validations enregistrées : " + r.ajoutees + " ajoutées, " + r.modifiees + " modifiées, " + r.supprimees + " supprimées."));
        });
      });
    }

    function goBack() {
      if (!state.leaveGuard()) return;
      currentGrid = null;
      // Offer the next compétence not opened yet.
      if (state.validation && level === "items") state.validation.competence_id = null;
      go(level, { force: true });
    }
  }

  function clearDraftBanner() {
    Array.prototype.slice.call(dom.banners.querySelectorAll(".brouillon-retrouve")).forEach(function (b) { b.remove(); });
  }

  function forgetDraft() {
    try { window.localStorage.removeItem(DRAFT_KEY); } catch (e) { /* ignore */ }
  }

  function offerDraft() {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(DRAFT_KEY) || "null"); } catch (e) { saved = null; }
    clearDraftBanner();
    if (!saved || !saved.draft || !state.user || saved.login !== state.user.login) return;
    var when = saved.at ? new Date(saved.at) : null;
    var box = el("div", { class: "alerte avertissement brouillon-retrouve", role: "alert" });
    var resume = button("Reprendre", function () {
      busy(resume, "Reprise des modifications…", function () {
        return call("validation.restore_draft", { draft: saved.draft }).then(function (grid) {
          box.remove();
          go(grid.level === "competences" ? "competences" : "items", { grid: grid, force: true, keepMessages: true });
          showNotice("Les modifications ont été reprises. Pensez à les enregistrer.");
        });
      });
    }, { class: "principal", id: "reprendre-brouillon" });
    var drop = button("Abandonner", function () {
      forgetDraft(); box.remove();
      showNotice("Les modifications non enregistrées ont été abandonnées.");
    }, { class: "secondaire", id: "abandonner-brouillon" });
    append(box, [el("span", { class: "alerte-texte", text: "Des modifications non enregistrées ont été retrouvées" +
      (when && !isNaN(when) ? " (du " + when.toLocaleString("fr-FR") + ")" : "") + " : " }), resume, drop]);
    dom.banners.appendChild(box);
  }

  // ---------------------------------------------------------------------------------------
  // Import / Export des validations (SACoche)
  // ---------------------------------------------------------------------------------------

  function viewEchanges(section) {
    append(section, heading("Import / Export des validations"));
    var exp = el("section", { class: "bloc", "aria-labelledby": "titre-export" },
      el("h3", { id: "titre-export", text: "Exporter un fichier à destination de SACoche" }),
      el("p", { text: "Choisissez le regroupement d'élèves (en général les classes de CM2), puis générez le fichier à transmettre au collège." }));
    var imp = el("section", { class: "bloc", "aria-labelledby": "titre-import" },
      el("h3", { id: "titre-import", text: "Importer un fichier en provenance de SACoche" }),
      el("p", { text: "Lit un fichier « import-sacoche…zip » (ou le fichier XML qu'il contient), par exemple celui d'un collègue qui a validé sur son propre ordinateur. Une validation est ajoutée si elle manque, et ne remplace une validation existante que si elle est plus récente." }));
    append(section, [exp, imp]);
    return call("classes.list").then(function (classes) {
      buildExport(exp, classes);
      buildImport(imp);
    });
  }

  function buildExport(box, classes) {
    var group = nextId("regroupement");
    function radio(value, label, checked) {
      var id = nextId("rg");
      var r = el("input", { type: "radio", name: group, id: id, value: value, checked: checked });
      return { input: r, row: el("div", { class: "case" }, r, el("label", { for: id, text: label })) };
    }
    var fs = el("fieldset", {}, el("legend", { text: "Regroupement" }));
    var rClasses = radio("classes", "Une ou plusieurs classes", true);
    var classesBox = el("div", { class: "sous-choix cases-classes" });
    var classInputs = [];
    classes.forEach(function (c) {
      var cb = checkbox(c.nom + (c.niveau ? " (" + c.niveau + ", " + plural(c.nb_eleves || 0, "élève", "élèves") + ")" : ""),
        { checked: c.niveau === "CM2", "data-id": c.id, "data-niveau": c.niveau || "" });
      classInputs.push(cb.input);
      classesBox.appendChild(cb.row);
    });
    var rNiveau = radio("niveau", "Un niveau", false);
    var nid = nextId("niveau");
    var niveaux = [];
    classes.forEach(function (c) { if (c.niveau && niveaux.indexOf(c.niveau) < 0) niveaux.push(c.niveau); });
    var niveauSel = el("select", { id: nid, "aria-label": "Niveau à exporter" });
    niveaux.forEach(function (n) { niveauSel.appendChild(el("option", { value: n, text: n, selected: n === "CM2" })); });
    niveauSel.addEventListener("change", function () { rNiveau.input.checked = true; });
    classInputs.forEach(function (i) { i.addEventListener("change", function () { rClasses.input.checked = true; }); });
    var rEcole = radio("ecole", "Toute l'école", false);
    append(fs, [rClasses.row, classesBox, rNiveau.row, el("div", { class: "sous-choix" }, niveauSel), rEcole.row]);
    var result = el("div", { class: "resultat-export", "aria-live": "polite" });
    var gen = button("Générer le fichier", function () {
      busy(gen, "Génération du fichier…", function () {
        var payload = {};
        if (rClasses.input.checked) {
          payload.classe_ids = classInputs.filter(function (i) { return i.checked; }).map(function (i) { return Number(i.getAttribute("data-id")); });
          if (!payload.classe_ids.length) throw new Error("Cochez au moins une classe, ou choisissez un autre regroupement.");
        } else if (rNiveau.input.checked) {
          if (!niveauSel.value) throw new Error("Choisissez un niveau.");
          payload.niveau = niveauSel.value;
        }
        clear(result);
        return call("sacoche.export", payload).then(function (r) {
          result.appendChild(el("p", { class: "alerte succes", id: "message-export", text: r.message }));
          if (r.note) result.appendChild(el("p", { class: "alerte information", id: "note-export", text: r.note }));
          var dl = button("Récupérer le fichier au format ZIP", function () {
            window.Cartable.download(r.data, r.filename, "application/zip");
          }, { class: "principal", id: "recuperer-zip" });
          result.appendChild(el("p", {}, dl, el("span", { class: "aide", text: " " + r.filename })));
        });
      });
    }, { class: "principal", id: "generer-export" });
    append(box, [fs, el("div", { class: "actions" }, gen), result]);
  }

  function buildImport(box) {
    var id = nextId("fichier-sacoche");
    var input = el("input", { type: "file", id: id, accept: ".zip,.xml,application/zip,text/xml,application/xml" });
    var chosen = null;
    var report = el("div", { class: "rapport-import" });
    var previewBtn = button("Lire le fichier", function () {
      busy(previewBtn, "Lecture du fichier…", function () {
        if (!chosen) throw new Error("Choisissez d'abord un fichier ZIP ou XML.");
        return call("sacoche.preview", chosen).then(function (r) { showReport(r, false); });
      });
    }, { class: "principal", disabled: true, id: "lire-sacoche" });
    input.addEventListener("change", function () {
      var f = input.files && input.files[0];
      clear(report);
      if (!f) { chosen = null; previewBtn.disabled = true; return; }
      readFile(f).then(function (data) { chosen = { data: data, filename: f.name }; previewBtn.disabled = false; }).catch(showError);
    });
    append(box, [el("div", { class: "champ" }, el("label", { for: id, text: "Fichier SACoche (ZIP ou XML)" }), filePicker(input)),
      el("div", { class: "actions" }, previewBtn), report]);

    function showReport(r, applied) {
      clear(report);
      if (r.message) report.appendChild(el("p", { class: "alerte " + (applied ? "succes" : "information"), text: r.message }));
      var t = el("table", { class: "tableau", id: applied ? "rapport-sacoche-applique" : "rapport-sacoche" },
        el("caption", { text: applied ? "Résultat de l'import" : "Aperçu : ce que l'import va faire" }),
        el("thead", {}, el("tr", {}, ["Nom", "Prénom", "Statut", "Validations", "Remarque"].map(function (hname) {
          return el("th", { scope: "col", text: hname });
        }))));
      var tb = el("tbody");
      (r.eleves || []).forEach(function (e) {
        tb.appendChild(el("tr", { class: "statut-" + (e.statut || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "") },
          el("td", { text: e.nom }), el("td", { text: e.prenom }),
          el("td", { text: e.statut }), el("td", { class: "nombre", text: e.nb === undefined ? "" : String(e.nb) }),
          el("td", { text: [e.raison || ""].concat(e.avertissements || []).filter(Boolean).join(" ; ") })));
      });
      t.appendChild(tb);
      report.appendChild(el("div", { class: "defilement" }, t));
      if (!applied) {
        var confirmBtn = button("Confirmer l'import", function () {
          busy(confirmBtn, "Import des validations…", function () {
            return call("sacoche.import", chosen).then(function (res) {
              showReport(res, true);
              showNotice(res.message || "Import terminé.");
            });
          });
        }, { class: "principal", id: "confirmer-sacoche" });
        report.appendChild(el("div", { class: "actions" }, confirmBtn));
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Fichier de l'école
  // ---------------------------------------------------------------------------------------

  function viewFichier(section) {
    append(section, heading("Fichier de l'école"));
    append(section, el("p", { text: "Tout est enregistré dans ce navigateur, sur cet ordinateur. Enregistrez aussi régulièrement le fichier de l'école (sur une clé USB, par exemple) : il contient toute l'école (niveaux, classes, élèves, comptes, validations) et permet de la retrouver sur un autre ordinateur ou après un incident." }));
    var saveBtn = button("Enregistrer le fichier de l'école", function () {
      busy(saveBtn, "Préparation du fichier de l'école…", downloadSchoolFile);
    }, { class: "principal", id: "enregistrer-fichier" });
    var save = el("section", { class: "bloc" }, el("h3", { text: "Enregistrer le fichier de l'école" }), el("div", { class: "actions" }, saveBtn));
    var id = nextId("fichier-ecole");
    var input = el("input", { type: "file", id: id, accept: ".sqlite3,.sqlite,.db,application/octet-stream,application/vnd.sqlite3" });
    var openBtn = button("Ouvrir ce fichier d'école", function () {
      var f = input.files && input.files[0];
      if (!f) { showError(new Error("Choisissez d'abord le fichier de l'école à ouvrir.")); return; }
      if (!window.confirm("Ouvrir « " + f.name + " » remplace TOUTE l'école actuelle de ce navigateur (élèves, comptes, validations). Enregistrez d'abord le fichier actuel si vous voulez le garder. Continuer ?")) return;
      busy(openBtn, "Ouverture du fichier de l'école…", function () {
        return readFile(f).then(function (data) { return call("school.replace_file", { data: data }); }).then(function () {
          state.user = null;
          state.validation = null;
          return refreshStatus().then(function () {
            if (state.status.needs_setup) showSetup();
            else showLogin("Le fichier de l'école a été ouvert. Connectez-vous avec un compte de cette école.");
          });
        });
      });
    }, { class: "danger", id: "ouvrir-fichier" });
    var open = el("section", { class: "bloc" }, el("h3", { text: "Ouvrir un fichier d'école" }),
      el("p", { class: "avertissement-texte", text: "Attention : l'école actuelle sera remplacée par celle du fichier." }),
      el("div", { class: "champ" }, el("label", { for: id, text: "Fichier de l'école" }), filePicker(input)),
      el("div", { class: "actions" }, openBtn));
    append(section, [save, open]);
  }

  // ---------------------------------------------------------------------------------------
  // Réglages
  // ---------------------------------------------------------------------------------------

  function viewReglages(section) {
    append(section, heading("Réglages"));
    var box = el("div");
    section.appendChild(box);
    return call("settings.get").then(function (settings) {
      var school = (state.status && state.status.school) || {};
      var form = el("form", { class: "formulaire", novalidate: true });
      var nom = field("Nom de l'école", { value: school.nom || "" });
      var uai = field("Numéro UAI (facultatif)", { value: school.uai || "", maxlength: "8" });
      var saveSchool = el("button", { type: "submit", class: "principal", text: "Enregistrer" });
      append(form, el("fieldset", {}, el("legend", { text: "L'école" }), nom.row, uai.row, el("div", { class: "actions" }, saveSchool)));
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        busy(saveSchool, "Enregistrement…", function () {
          return call("school.update", { nom: nom.input.value.trim(), uai: uai.input.value.trim() || null }).then(function () {
            return refreshStatus();
          }).then(function () { showNotice("Les informations de l'école sont enregistrées."); });
        });
      });
      var c = checkbox("Les professeurs simplement affectés à une classe (pas seulement le professeur principal) peuvent valider pour ses élèves",
        { checked: !!settings.professeurs_affectes_valident, id: "reglage-affectes" });
      c.input.addEventListener("change", function () {
        busy(c.input, "Enregistrement…", function () {
          return call("settings.set", { professeurs_affectes_valident: c.input.checked }).then(function (s) {
            c.input.checked = !!s.professeurs_affectes_valident;
            showNotice(s.professeurs_affectes_valident ?
              "Les professeurs affectés à une classe peuvent désormais valider pour ses élèves." :
              "Seuls les professeurs principaux (et le directeur) peuvent valider.");
          }).catch(function (e) { c.input.checked = !c.input.checked; throw e; });
        });
      });
      append(box, [form, el("fieldset", {}, el("legend", { text: "Validation" }), c.row)]);
    });
  }

  var VIEWS = {
    accueil: viewAccueil,
    niveaux: viewNiveaux,
    paliers: viewPaliers,
    import: viewImport,
    professeurs: viewProfesseurs,
    affectations: viewAffectations,
    items: viewValidation("items"),
    competences: viewValidation("competences"),
    echanges: viewEchanges,
    fichier: viewFichier,
    reglages: viewReglages,
  };

  window.CartableApp = {
    start: start,
    // For tests and debugging: the current view name.
    currentView: function () { return state.view; },
  };
})();
