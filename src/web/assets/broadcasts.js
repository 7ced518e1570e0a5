// Hội viên bot web console, Broadcasts section (served by the bot; no third-party code). The pages work without it:
// - on the compose form, it asks for the audience size when a condition changes (GET /console/broadcasts/audience with
//   the form's fields, the CSRF token left out) and writes it into the <output id="bc-size">;
// - on a broadcast's page, while it is preparing or sending, it polls its progress JSON every few seconds and updates
//   the <progress> and the figures; when it has ended, the page is reloaded once to show the final report.
(function () {
  'use strict';

  var form = document.getElementById('bc-compose');
  var output = document.getElementById('bc-size');
  if (form && output) {
    var timer = null;
    var asked = 0;
    var ask = function () {
      var data = new FormData(form);
      var query = new URLSearchParams();
      data.forEach(function (value, name) {
        if (name !== '_csrf' && name !== 'intent' && typeof value === 'string') query.append(name, value);
      });
      var mine = ++asked;
      fetch('/console/broadcasts/audience?' + query.toString(), {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (!answer || mine !== asked) return;
          var span = document.createElement('span');
          span.className = answer.ok ? 'bc-lines' : 'bc-error';
          span.textContent = answer.text;
          output.replaceChildren(span);
        })
        .catch(function () {
          /* offline: the count button still works */
        });
    };
    var changed = function (event) {
      var target = event.target;
      if (!target || !target.name || /^(textVi|textEn|button|at|when|urgent|promotion)$/.test(target.name)) return;
      clearTimeout(timer);
      timer = setTimeout(ask, 300);
    };
    form.addEventListener('change', changed);
    form.addEventListener('input', changed);
  }

  var live = document.getElementById('bc-live');
  if (live && live.getAttribute('data-final') !== 'true') {
    var url = live.getAttribute('data-progress-url');
    var every = Number(live.getAttribute('data-poll-ms')) || 3000;
    var bar = document.getElementById('bc-progress');
    var status = document.getElementById('bc-status');
    var figures = document.getElementById('bc-figures');
    var rate = document.getElementById('bc-rate');
    var poll = function () {
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (p) {
          if (!p) return setTimeout(poll, every * 2);
          if (bar) {
            bar.max = Math.max(p.total, 1);
            bar.value = p.ended;
            bar.textContent = p.ended + '/' + p.total;
          }
          if (status) status.textContent = p.statusText;
          if (figures) figures.textContent = p.figures;
          if (rate) rate.textContent = p.rate;
          if (p.final) {
            live.setAttribute('data-final', 'true');
            window.location.reload();
            return;
          }
          setTimeout(poll, every);
        })
        .catch(function () {
          setTimeout(poll, every * 2);
        });
    };
    setTimeout(poll, every);
  }
})();
