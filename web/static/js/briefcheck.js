/* briefcheck – the interactive parts of the results page. The page works without this file: every
   button then posts the form and the server draws the page again. With it, a click on a highlight
   opens a panel with the explanation, and choices update the improved letter at once through
   /api/v1/rewrite. Letter text is only ever set with textContent or .value, never as HTML. */
(function () {
  "use strict";

  var dataElement = document.getElementById("briefcheck-data");
  if (!dataElement) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var chosen = new Map(data.chosen.map(function (pair) { return [pair[0], pair[1]]; }));
  var ignored = new Set(data.ignored);

  var form = document.getElementById("keuzes");
  var letter = document.getElementById("brief");
  var layout = letter ? letter.parentElement : null;
  var panel = document.getElementById("paneel");
  var panelTitle = document.getElementById("paneel-titel");
  var panelList = panel ? panel.querySelector(".paneel-inhoud") : null;
  var textarea = document.getElementById("nieuwe-tekst");
  var appliedSentence = document.getElementById("overgenomen");
  var live = document.getElementById("meldingen");
  var copyButton = document.getElementById("kopieer");
  var copyStatus = document.getElementById("kopieer-status");
  var rewriteUrl = (form && form.getAttribute("data-rewrite-url")) || "/api/v1/rewrite";
  var lastTrigger = null;
  var request = 0;
  var editedByHand = false;
  var letServerHandle = false;

  function announce(message) {
    if (!live) { return; }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 50);
  }

  /* -- the panel next to the letter ------------------------------------------------------------ */
  function findingsOf(trigger) {
    return (trigger.getAttribute("data-findings") || "").split(" ").filter(Boolean).map(Number);
  }

  function setActive(group) {
    letter.querySelectorAll(".is-actief").forEach(function (node) { node.classList.remove("is-actief"); });
    if (group) {
      letter.querySelectorAll('[data-group="' + group + '"]').forEach(function (node) {
        if (node.tagName === "MARK" || node.classList.contains("zin")) { node.classList.add("is-actief"); }
      });
    }
  }

  function openPanel(trigger) {
    panelList.textContent = "";
    findingsOf(trigger).forEach(function (index) {
      var card = document.getElementById("bevinding-" + index);
      if (!card) { return; }
      var copy = card.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
      panelList.appendChild(copy);
    });
    panel.hidden = false;
    layout.classList.add("met-paneel");
    setActive(trigger.getAttribute("data-group"));
    lastTrigger = trigger;
    panelTitle.focus();
    if (window.matchMedia && !window.matchMedia("(min-width: 64rem)").matches) {
      panel.scrollIntoView({ block: "start" });
    }
  }

  function closePanel() {
    panel.hidden = true;
    layout.classList.remove("met-paneel");
    setActive(null);
    if (lastTrigger) { lastTrigger.focus(); }
  }

  if (letter && panel) {
    letter.addEventListener("click", function (event) {
      var trigger = event.target.closest("a[data-findings]");
      if (!trigger) { return; }
      event.preventDefault();
      openPanel(trigger);
    });
    panel.querySelector(".paneel-sluit").addEventListener("click", closePanel);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { closePanel(); }
    });
  }

  /* -- choices ---------------------------------------------------------------------------------- */
  function syncHiddenFields() {
    form.querySelectorAll('input[name="gekozen"], input[name="genegeerd"]').forEach(function (node) { node.remove(); });
    chosen.forEach(function (suggestion, finding) { addHidden("gekozen", finding + ":" + suggestion); });
    ignored.forEach(function (finding) { addHidden("genegeerd", String(finding)); });
  }

  function addHidden(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function syncCards(skipped) {
    document.querySelectorAll(".kaart[data-finding]").forEach(function (card) {
      var index = Number(card.getAttribute("data-finding"));
      var isChosen = chosen.has(index);
      card.classList.toggle("is-overgenomen", isChosen);
      card.classList.toggle("is-genegeerd", !isChosen && ignored.has(index));
      card.querySelectorAll(".suggestie").forEach(function (item) {
        item.classList.toggle("is-gekozen", isChosen && chosen.get(index) === Number(item.getAttribute("data-suggestion")));
      });
      var status = card.querySelector(".kaart-status");
      var old = status.querySelector(".status-overgeslagen");
      if (old) { old.remove(); }
      if (skipped && skipped.has(index)) {
        var note = document.createElement("span");
        note.className = "status-overgeslagen";
        note.textContent = "Niet in de tekst gezet: " + skipped.get(index);
        status.appendChild(note);
      }
    });
    letter.querySelectorAll("a[data-findings]").forEach(function (link) {
      var indices = findingsOf(link);
      var done = indices.every(function (i) { return chosen.has(i) || ignored.has(i); });
      var anyChosen = indices.some(function (i) { return chosen.has(i); });
      var mark = link.closest("mark");
      if (mark) {
        mark.classList.toggle("is-klaar", done);
        mark.classList.toggle("is-overgenomen", done && anyChosen);
      }
    });
  }

  function rewrite(message) {
    var mine = ++request;
    var body = JSON.stringify({
      text: data.text,
      findings: data.findings,
      chosen: Array.from(chosen.entries()).sort(function (a, b) { return a[0] - b[0]; })
    });
    return fetch(rewriteUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: body,
      credentials: "omit"
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (result) {
      if (mine !== request) { return; }
      textarea.value = result.text;
      editedByHand = false;
      var count = result.applied.length;
      appliedSentence.setAttribute("data-aantal", String(count));
      // the same words as the server draws in results.html
      appliedSentence.textContent = count === 0
        ? "U heeft nog geen suggesties overgenomen. Klik in uw brief op een gemarkeerd stuk om een suggestie te zien en over te nemen."
        : "U heeft " + count + (count === 1 ? " suggestie" : " suggesties") + " overgenomen. De tekst hieronder is bijgewerkt.";
      var skipped = new Map();
      result.skipped.forEach(function (item) { if (item.finding !== null) { skipped.set(item.finding, item.reason); } });
      syncCards(skipped);
      announce(message + " De verbeterde brief is bijgewerkt.");
    });
  }

  function apply(name, value) {
    if (name === "overnemen") {
      var pair = value.split(":").map(Number);
      chosen.set(pair[0], pair[1]);
      ignored.delete(pair[0]);
      return "Suggestie overgenomen.";
    }
    if (name === "negeren") {
      chosen.delete(Number(value));
      ignored.add(Number(value));
      return "Verbeterpunt genegeerd.";
    }
    if (name === "herstellen") {
      chosen.delete(Number(value));
      ignored.delete(Number(value));
      return "Keuze ongedaan gemaakt.";
    }
    if (name === "alles") {
      var count = 0;
      data.findings.forEach(function (finding, index) {
        if (finding.code === value && finding.suggestions.length && !ignored.has(index) && !chosen.has(index)) {
          chosen.set(index, 0);
          count += 1;
        }
      });
      return count === 1 ? "1 suggestie overgenomen." : count + " suggesties overgenomen.";
    }
    return null;
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (letServerHandle || !button || !window.fetch) { return; }  // let the server do it
      event.preventDefault();
      if (editedByHand && !window.confirm("U heeft de verbeterde tekst zelf aangepast. Als u doorgaat, " +
          "gaan die aanpassingen verloren. Doorgaan?")) {
        return;
      }
      var message = apply(button.name, button.value);
      if (message === null) { return; }
      syncHiddenFields();
      syncCards(null);
      rewrite(message).catch(function () {
        // The API could not be reached: let the server draw the page with this choice.
        letServerHandle = true;
        if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
      });
    });
    textarea.addEventListener("input", function () { editedByHand = true; });
  }

  /* -- copy ------------------------------------------------------------------------------------- */
  if (copyButton && textarea) {
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      var done = function () { copyStatus.textContent = "De tekst is gekopieerd."; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(textarea.value).then(done, function () { fallbackCopy(done); });
      } else {
        fallbackCopy(done);
      }
    });
  }

  function fallbackCopy(done) {
    textarea.select();
    try {
      if (document.execCommand("copy")) { done(); return; }
    } catch (error) { /* fall through */ }
    copyStatus.textContent = "Kopiëren lukte niet. Selecteer de tekst en kopieer hem zelf (Ctrl+C).";
  }
}());
