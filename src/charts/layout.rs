//! The frame every chart shares: white page, title and subtitle at the top,
//! a legend strip on the right (outside the plot area, so it never covers
//! data), and the remaining area for the plot(s).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{Theme, INK, MUTED};

/// How a legend entry's swatch is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    /// A thick line over a light band (mean line + uncertainty band).
    LineBand,
    /// A thick line with a dot (points joined by lines, with whiskers).
    LineDot,
    /// A filled box (bars).
    Box,
    /// A dot (markers).
    Dot,
    /// A light filled box (shaded region).
    Shade,
    /// A dashed line (a reference such as the no-campaign world).
    Dashed,
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct LegendItem {
    pub label: String,
    pub color: RGBColor,
    pub swatch: Swatch,
}

/// What the frame needs to know.
pub struct Frame<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub legend_title: &'a str,
    pub legend: Vec<LegendItem>,
    /// Small print under the legend (e.g. what the bands mean).
    pub notes: Vec<String>,
}

/// Draw text on `area` with the given font, colour and anchor.
pub fn text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    color: &RGBColor,
    pos: (i32, i32),
    anchor: (HPos, VPos),
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let style = font.clone().color(color).pos(Pos::new(anchor.0, anchor.1));
    area.draw_text(s, &style, pos)?;
    Ok(())
}

/// Width in pixels of `s` in `font` (from the embedded font's metrics, so the
/// same for every backend).
pub fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
) -> anyhow::Result<i32>
where
    DB::ErrorType: 'static,
{
    Ok(area.estimate_text_size(s, &TextStyle::from(font.clone()))?.0 as i32)
}

/// Greedy word wrap of `s` into lines no wider than `max_w` pixels.
pub fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    max_w: i32,
) -> anyhow::Result<Vec<String>>
where
    DB::ErrorType: 'static,
{
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let cand = if cur.is_empty() { word.to_string() } else { format!("{cur} {word}") };
        if !cur.is_empty() && text_width(area, &cand, font)? > max_w {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    Ok(lines)
}

/// Word wrap of `s` into lines no wider than `max_w` pixels, breaking any
/// word that is wider than a line on its own: nothing is ever cut.
pub fn wrap_hard<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    max_w: i32,
) -> anyhow::Result<Vec<String>>
where
    DB::ErrorType: 'static,
{
    let mut out = Vec::new();
    for line in wrap(area, s, font, max_w)? {
        if text_width(area, &line, font)? <= max_w {
            out.push(line);
            continue;
        }
        let mut cur = String::new();
        for ch in line.chars() {
            cur.push(ch);
            if cur.chars().count() > 1 && text_width(area, &cur, font)? > max_w {
                cur.pop();
                out.push(std::mem::take(&mut cur).trim_end().to_string());
                if ch != ' ' {
                    cur.push(ch);
                }
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    Ok(out)
}

/// Shorten `s` with an ellipsis until it fits `max_w` pixels.
pub fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    max_w: i32,
) -> anyhow::Result<String>
where
    DB::ErrorType: 'static,
{
    if text_width(area, s, font)? <= max_w {
        return Ok(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let cand: String = chars[..n].iter().collect::<String>() + "…";
        if text_width(area, &cand, font)? <= max_w {
            return Ok(cand);
        }
    }
    Ok("…".to_string())
}

/// Draw a legend swatch `w`×`h` with its top-left corner at `(x, y)`.
fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    item: &LegendItem,
    (x, y): (i32, i32),
    (w, h): (i32, i32),
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let c = item.color;
    let mid = y + h / 2;
    let lw = t.line_width();
    match item.swatch {
        Swatch::LineBand => {
            area.draw(&Rectangle::new([(x, y + h / 6), (x + w, y + h - h / 6)], c.mix(0.22).filled()))?;
            area.draw(&PathElement::new(vec![(x, mid), (x + w, mid)], c.stroke_width(lw)))?;
        }
        Swatch::LineDot => {
            area.draw(&PathElement::new(vec![(x, mid), (x + w, mid)], c.stroke_width(lw)))?;
            area.draw(&Circle::new((x + w / 2, mid), t.upx(8.0), c.filled()))?;
        }
        Swatch::Box => {
            area.draw(&Rectangle::new([(x + w / 4, y), (x + w - w / 4, y + h)], c.filled()))?;
        }
        Swatch::Dot => {
            area.draw(&Circle::new((x + w / 2, mid), t.upx(9.0), c.filled()))?;
        }
        Swatch::Shade => {
            area.draw(&Rectangle::new([(x, y), (x + w, y + h)], c.mix(0.35).filled()))?;
        }
        Swatch::Dashed => {
            let dash = (w / 5).max(1);
            for k in [0, 2, 4] {
                area.draw(&PathElement::new(vec![(x + k * dash, mid), (x + (k + 1) * dash, mid)], c.stroke_width(lw)))?;
            }
        }
    }
    Ok(())
}

/// Paint the page, title, subtitle and legend strip; return the area left
/// for the plot. O(legend entries).
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    f: &Frame<'_>,
) -> anyhow::Result<DrawingArea<DB, Shift>>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (w, h) = (t.w as i32, t.h as i32);
    let m = t.px(44.0);

    // Title and subtitle, left-aligned with the page margin.
    let title_font = t.title();
    let title = fit(root, f.title, &title_font, w - 2 * m)?;
    text(root, &title, &title_font, &INK, (m, t.px(34.0)), (HPos::Left, VPos::Top))?;
    // The subtitle wraps (at most two lines) rather than losing facts.
    let sub_font = t.subtitle();
    let sub_lines = wrap(root, f.subtitle, &sub_font, w - 2 * m)?;
    let mut top = t.px(170.0);
    for (k, line) in sub_lines.iter().take(2).enumerate() {
        let line = fit(root, line, &sub_font, w - 2 * m)?;
        text(root, &line, &sub_font, &MUTED, (m, t.px(108.0) + k as i32 * t.px(40.0)), (HPos::Left, VPos::Top))?;
        if k > 0 {
            top += t.px(40.0);
        }
    }

    // Legend strip: as wide as its longest label, within [18%, 30%] of the width.
    let lf = t.legend();
    let sw_w = t.px(56.0);
    let gap = t.px(16.0);
    let mut widest = text_width(root, f.legend_title, &t.legend_head())?;
    for it in &f.legend {
        widest = widest.max(sw_w + gap + text_width(root, &it.label, &lf)?);
    }
    let min_w = (w as f64 * 0.18) as i32;
    let max_w = (w as f64 * 0.30) as i32;
    let strip_w = widest.clamp(min_w, max_w);
    let x0 = w - m - strip_w;
    let row_h = t.px(54.0);
    let mut y = top + t.px(10.0);
    if !f.legend_title.is_empty() {
        text(root, f.legend_title, &t.legend_head(), &INK, (x0, y), (HPos::Left, VPos::Top))?;
        y += row_h;
    }
    for it in &f.legend {
        let sh = t.px(30.0);
        draw_swatch(root, t, it, (x0, y + (row_h - sh) / 2 - t.px(16.0)), (sw_w, sh))?;
        let label_w = strip_w - sw_w - gap;
        let lines = wrap(root, &it.label, &lf, label_w)?;
        for (k, line) in lines.iter().enumerate() {
            let line = fit(root, line, &lf, label_w)?;
            text(root, &line, &lf, &INK, (x0 + sw_w + gap, y + k as i32 * t.px(36.0)), (HPos::Left, VPos::Top))?;
        }
        y += row_h + (lines.len().max(1) as i32 - 1) * t.px(36.0);
    }
    let nf = t.note();
    y += t.px(16.0);
    for note in &f.notes {
        for line in wrap(root, note, &nf, strip_w)? {
            text(root, &line, &nf, &MUTED, (x0, y), (HPos::Left, VPos::Top))?;
            y += t.px(33.0);
        }
        y += t.px(12.0);
    }

    // The plot gets everything left of the strip, below the subtitle.
    let plot = root.clone().shrink((m, top), ((x0 - t.px(36.0) - m).max(1), (h - top - m).max(1)));
    Ok(plot)
}
