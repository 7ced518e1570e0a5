// The console's SVG charts (src/web/charts.ts): every value written as a label, every text escaped, accessible
// (figure, caption, role="img" with a title and a summary, the numbers in a table), nothing the CSP would block.
import { describe, expect, it } from 'vitest';
import { barChart, columnChart, niceScale, shorten, sparkline, type ChartOptions } from '../../src/web/charts.ts';

const text = {
  title: 'Yêu cầu mới mỗi tuần',
  summary: '7 yêu cầu trong 3 tuần qua.',
  numbers: 'Xem số liệu',
  category: 'Tuần',
  total: 'Tổng',
  empty: 'Chưa có yêu cầu nào.',
};

const options = (extra: Partial<ChartOptions> = {}): ChartOptions => ({
  id: 'chart-test',
  text,
  categories: [
    { label: 'Tuần từ 16/02/2026', short: '16/02' },
    { label: 'Tuần từ 23/02/2026', short: '23/02', href: '/console/cases?week=2&x=1' },
    { label: 'Tuần này', short: '02/03' },
  ],
  series: [
    { name: 'Phường Phan Đình Phùng', values: [1, 0, 3] },
    { name: 'Phường Linh Sơn', values: [2, 1, 0] },
  ],
  ...extra,
});

/** Cells of the numbers table, row by row. */
const rows = (markup: string): string[][] =>
  [...markup.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row = '']) =>
    [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim()),
  );

describe('charts', () => {
  it('draws a stacked column chart inside an accessible figure, with the numbers in a table', () => {
    const markup = columnChart(options({ mode: 'stacked' })).text;
    expect(markup).toMatch(/^<figure class="chart" id="chart-test">\s*<figcaption>Yêu cầu mới mỗi tuần<\/figcaption>/);
    expect(markup).toMatch(
      /<svg[^>]*role="img"[^>]*aria-labelledby="chart-test-title"\s+aria-describedby="chart-test-desc"/,
    );
    expect(markup).toContain('<title id="chart-test-title">Yêu cầu mới mỗi tuần</title>');
    expect(markup).toContain('<desc id="chart-test-desc">7 yêu cầu trong 3 tuần qua.</desc>');
    // The totals are written above the columns, the short labels below them.
    for (const label of ['>3<', '>1<', '>16/02<', '>23/02<', '>02/03<']) expect(markup).toContain(label);
    expect(markup).toContain('<summary>Xem số liệu</summary>');
    expect(rows(markup)).toEqual([
      ['Tuần', 'Phường Phan Đình Phùng', 'Phường Linh Sơn', 'Tổng'],
      ['Tuần từ 16/02/2026', '1', '2', '3'],
      ['Tuần từ 23/02/2026', '0', '1', '1'],
      ['Tuần này', '3', '0', '3'],
    ]);
    // A category's link is in the table (escaped as an attribute), never inside the picture.
    expect(markup).toContain('<a href="/console/cases?week=2&amp;x=1">Tuần từ 23/02/2026</a>');
    // Series named in a legend (for sighted readers; the table is for screen readers).
    expect(markup).toMatch(/<ul class="chart-legend" aria-hidden="true">[\s\S]*Phường Linh Sơn[\s\S]*<\/ul>/);
  });

  it('writes each value of a grouped chart above its bar, and each bar has a title', () => {
    const markup = columnChart(options({ mode: 'grouped', format: (n) => `${n} lượt` })).text;
    expect(markup.match(/<rect\s/g)?.length).toBe(6 + 2); // six bars, two legend swatches
    expect(markup).toContain('>3 lượt<');
    expect(markup).toMatch(/<title>Tuần này: Phường Phan Đình Phùng 3 lượt<\/title>/);
    expect(rows(markup)[0]).toEqual(['Tuần', 'Phường Phan Đình Phùng', 'Phường Linh Sơn']);
  });

  it('escapes every text a person wrote, in the picture and in the table', () => {
    const hostile = '<script>alert("x")</script> & "quotes"';
    const markup = barChart(
      options({
        id: 'chart-"x"',
        text: { ...text, title: hostile, summary: hostile },
        categories: [{ label: hostile, href: 'javascript:"x"' }],
        series: [{ name: hostile, values: [5] }],
      }),
    ).text;
    expect(markup).not.toContain('<script>');
    expect(markup).not.toContain('"x"');
    expect(markup).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
  });

  it('uses no style attribute, no script and no event handler (the console CSP)', () => {
    const all = [
      columnChart(options({ mode: 'stacked' })).text,
      columnChart(options({ mode: 'grouped' })).text,
      barChart(options({ mode: 'stacked' })).text,
      sparkline([1, 4, 2], 'Xu hướng').text,
    ].join('\n');
    expect(all).not.toMatch(/\sstyle=/);
    expect(all).not.toMatch(/<script|<style|\son[a-z]+=/i);
  });

  it('draws horizontal bars with the total after each bar and a long label shortened in the picture only', () => {
    const long = 'Thông báo về lớp học nghề may công nghiệp tại nhà văn hóa tổ dân phố số 5';
    const markup = barChart(
      options({ categories: [{ label: long }, { label: 'Ngắn' }], series: [{ name: 'Người nhận', values: [120, 7] }] }),
    ).text;
    expect(markup).toContain('>120<');
    expect(markup).toContain('>7<');
    expect(markup).toContain(`>${shorten(long, 26)}<`);
    expect(shorten(long, 26)).toHaveLength(26);
    expect(shorten(long, 26).endsWith('…')).toBe(true);
    expect(rows(markup)[1]).toEqual([long, '120']);
  });

  it('says the empty text instead of drawing when every value is 0', () => {
    const markup = columnChart(options({ series: [{ name: 'x', values: [0, 0, 0] }] })).text;
    expect(markup).toContain('<p class="empty">Chưa có yêu cầu nào.</p>');
    expect(markup).not.toContain('<svg');
    expect(markup).toContain('<figcaption>Yêu cầu mới mỗi tuần</figcaption>');
  });

  it('picks a round axis top and step', () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 1 });
    expect(niceScale(3)).toEqual({ top: 3, step: 1 });
    expect(niceScale(7)).toEqual({ top: 8, step: 2 });
    expect(niceScale(37)).toEqual({ top: 40, step: 10 });
    expect(niceScale(1234)).toEqual({ top: 1500, step: 500 });
  });

  it('names a sparkline by its label', () => {
    const markup = sparkline([1, 4, 2], 'Yêu cầu mỗi tuần: 1, 4, 2').text;
    expect(markup).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Yêu cầu mỗi tuần: 1, 4, 2"/);
    expect(markup).toContain('<polyline');
  });
});
