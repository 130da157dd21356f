/* Earn rate by origin per rule as grouped bars with 95 % interval whiskers (uPlot, served locally).
   Reads the figures from <script type="application/json" id="earn-rates">; the table beside the
   chart holds the same figures for screen readers and keyboard users. No inline script (CSP). */
(function () {
  'use strict';
  function draw() {
    var data = document.getElementById('earn-rates');
    var target = document.getElementById('earn-chart');
    if (!data || !target || typeof uPlot === 'undefined') return;
    var rules = JSON.parse(data.textContent || '[]');
    if (!rules.length) return;
    var x = rules.map(function (_, i) {
      return i;
    });
    var rate = function (g) {
      return g && g.earn_rate !== null ? g.earn_rate * 100 : null;
    };
    var rg = rules.map(function (r) {
      return rate(r.rg);
    });
    var other = rules.map(function (r) {
      return rate(r.other);
    });
    var bars = uPlot.paths.bars;
    var short = function (name) {
      return name.length > 30 ? name.slice(0, 29) + '…' : name;
    };
    var whiskers = function (key, offset) {
      return function (u) {
        var ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = '#1b1f24';
        ctx.lineWidth = 1.5 * devicePixelRatio;
        rules.forEach(function (r, i) {
          var g = r[key];
          if (!g || g.ci_low === null) return;
          var cx = u.valToPos(i + offset, 'x', true);
          var lo = u.valToPos(g.ci_low * 100, 'y', true);
          var hi = u.valToPos(g.ci_high * 100, 'y', true);
          ctx.beginPath();
          ctx.moveTo(cx, lo);
          ctx.lineTo(cx, hi);
          ctx.moveTo(cx - 4, lo);
          ctx.lineTo(cx + 4, lo);
          ctx.moveTo(cx - 4, hi);
          ctx.lineTo(cx + 4, hi);
          ctx.stroke();
        });
        ctx.restore();
      };
    };
    var width = Math.min(target.parentElement.clientWidth || 640, 900);
    new uPlot(
      {
        width: width,
        height: 280,
        scales: { x: { time: false, range: [-0.6, rules.length - 0.4] }, y: { range: [0, 100] } },
        axes: [
          {
            values: function (u, splits) {
              return splits.map(function (s) {
                return Number.isInteger(s) && rules[s] ? short(rules[s].name) : '';
              });
            },
            splits: function () {
              return x;
            },
          },
          { label: 'Earn rate (%)' },
        ],
        series: [
          {},
          { label: 'Restgruppe origin', fill: '#b3541e', stroke: '#b3541e', paths: bars({ size: [0.35, 80], align: -1 }), points: { show: false } },
          { label: 'Other children', fill: '#0b5cad', stroke: '#0b5cad', paths: bars({ size: [0.35, 80], align: 1 }), points: { show: false } },
        ],
        hooks: { draw: [whiskers('rg', -0.17), whiskers('other', 0.17)] },
        legend: { live: false },
        cursor: { show: false },
      },
      [x, rg, other],
      target,
    );
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();

/* The liability forecast on the fund page: expected payouts per year with the 90 % interval as a
   band, cumulative expected payouts (with what is already owed) and the holdings as lines (uPlot).
   Reads <script type="application/json" id="forecast-data">; the table below has the figures. */
(function () {
  'use strict';
  function draw() {
    var data = document.getElementById('forecast-data');
    var target = document.getElementById('forecast-chart');
    if (!data || !target || typeof uPlot === 'undefined') return;
    var f = JSON.parse(data.textContent || '{}');
    if (!f.years || !f.years.length) return;
    var kr = function (ore) {
      return ore / 100;
    };
    var x = f.years.map(function (y) {
      return y.year;
    });
    var width = Math.min(target.parentElement.clientWidth || 640, 900);
    new uPlot(
      {
        width: width,
        height: 300,
        scales: { x: { time: false } },
        axes: [
          {},
          {
            label: 'DKK',
            size: 90,
            values: function (u, v) {
              return v.map(function (n) {
                return n.toLocaleString('da-DK');
              });
            },
          },
        ],
        series: [
          {},
          { label: '90 % lower', stroke: 'rgba(11,92,173,0.35)', width: 1 },
          { label: '90 % upper', stroke: 'rgba(11,92,173,0.35)', width: 1 },
          { label: 'Expected payouts', stroke: '#0b5cad', width: 2 },
          { label: 'Cumulative incl. owed', stroke: '#b3541e', width: 2, dash: [6, 4] },
          { label: 'Holdings', stroke: '#1b1f24', width: 2 },
        ],
        bands: [{ series: [2, 1], fill: 'rgba(11,92,173,0.15)' }],
        legend: { live: false },
        cursor: { show: false },
      },
      [
        x,
        f.years.map(function (y) {
          return kr(y.lower);
        }),
        f.years.map(function (y) {
          return kr(y.upper);
        }),
        f.years.map(function (y) {
          return kr(y.expected);
        }),
        f.years.map(function (y) {
          return kr(y.cumulative);
        }),
        f.years.map(function () {
          return kr(f.holdings);
        }),
      ],
      target,
    );
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
