// The SPARQL query page: load examples, run the query against /sparql, show results as a table.
// Every value is inserted with textContent, never as markup.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var autorun = JSON.parse(document.getElementById("autorun").textContent);
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  var byId = {};
  examples.forEach(function (ex) { byId[ex.id] = ex; });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function cell(term) {
    var td = el("td");
    if (!term) return td;
    if (term.type === "uri" && /^https?:\/\//i.test(term.value)) {
      // only web IRIs become links: a javascript: IRI in a shared query stays text
      var a = el("a", term.value);
      var local = "https://w3id.org/govgraph/id/";
      a.href = term.value.indexOf(local) === 0 ? "/id/" + term.value.slice(local.length) : term.value;
      td.appendChild(a);
    } else if (term.type === "uri") {
      td.textContent = term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.appendChild(el("span", "@" + term["xml:lang"], "lang"));
    }
    return td;
  }

  function table(data) {
    var vars = data.head.vars || [];
    var t = el("table", null, "results");
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    data.results.bindings.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  function show(response, text) {
    results.replaceChildren();
    var type = response.headers.get("content-type") || "";
    if (!response.ok) {
      results.appendChild(el("pre", text, "error"));
      status.textContent = "error " + response.status;
      return;
    }
    if (type.indexOf("application/sparql-results+json") === 0) {
      var data = JSON.parse(text);
      if (typeof data.boolean === "boolean") {
        results.appendChild(el("p", "ASK: " + data.boolean, "boolean"));
        status.textContent = String(data.boolean);
        return;
      }
      results.appendChild(table(data));
      var n = data.results.bindings.length;
      var truncated = response.headers.get("x-govgraph-truncated") === "true";
      status.textContent = n + " row" + (n === 1 ? "" : "s") + (truncated ? " (truncated)" : "");
    } else {
      results.appendChild(el("pre", text, "graph"));
      status.textContent = "graph (Turtle)";
    }
  }

  function run() {
    status.textContent = "running…";
    var body = new URLSearchParams();
    body.set("query", textarea.value);
    fetch("/sparql", {
      method: "POST",
      headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: body
    }).then(function (response) {
      return response.text().then(function (text) { show(response, text); });
    }).catch(function (err) { status.textContent = "failed: " + err; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      textarea.value = byId[link.dataset.example].query;
      run();
    });
  });
  document.querySelectorAll(".downloads a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var params = new URLSearchParams({ query: textarea.value, format: link.dataset.format });
      window.location.href = "/sparql?" + params.toString();
    });
  });
  if (autorun) run();
})();
