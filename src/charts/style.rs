//! Look and feel shared by every chart: palette, embedded fonts, sizes
//! scaled with the image height, and number formatting.

use std::sync::OnceLock;

use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor};

/// Okabe–Ito colour-blind-safe palette. A strategy's colour comes from its
/// *name* (see [`strategy_colors`]), so "top influencers" has the same
/// colour in every run. Black (the colour of text, whiskers and the network
/// chart's dots) and yellow (#F0E442, hard to see as a thin line on white)
/// come last: they are used only when the six others are taken.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermilion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// Palette slots a name hashes into (every colour but black and yellow).
const HASHED: usize = 6;

/// 64-bit FNV-1a of `s`: a stable hash (the same on every machine and
/// version, unlike `std`'s hasher).
pub fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Colours of the strategies named `names`, in order: each name's preferred
/// slot is FNV-1a(name) mod 6, so a strategy keeps its colour across runs;
/// when two names of one run want the same slot, the later one takes the
/// next free slot (black, then yellow, last), so colours within a run are
/// distinct up to eight strategies. O(names × 8).
pub fn strategy_colors<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<RGBColor> {
    let mut taken = [false; 8];
    let mut out = Vec::new();
    for name in names {
        if taken.iter().all(|&t| t) {
            // More than eight strategies: colours repeat, in the same order.
            taken = [false; 8];
        }
        let pref = (fnv1a(name) % HASHED as u64) as usize;
        let slot = (0..HASHED).map(|k| (pref + k) % HASHED).chain(HASHED..PALETTE.len()).find(|&k| !taken[k]);
        let slot = slot.unwrap_or(pref);
        taken[slot] = true;
        out.push(PALETTE[slot]);
    }
    out
}

/// `#RRGGBB` of a colour (for HTML).
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Longest name drawn in a chart, in characters; longer names are cut with
/// `…` (the tables keep them whole).
pub const MAX_NAME_CHARS: usize = 100;

/// A name as charts and terminals show it: control characters (ESC, BEL,
/// NUL, newlines, …) written as visible escapes (`\u{1b}`), and at most
/// [`MAX_NAME_CHARS`] characters, cut with `…`. O(len), so a 20,000-character
/// name costs nothing downstream.
pub fn display_name(s: &str) -> String {
    let clean = escape_controls(s);
    if clean.chars().count() <= MAX_NAME_CHARS {
        clean
    } else {
        clean.chars().take(MAX_NAME_CHARS - 1).collect::<String>() + "…"
    }
}

/// `s` with every control character replaced by its Rust escape
/// (`\u{1b}`, `\n`, …): safe to print on a terminal or put in SVG/XML.
pub fn escape_controls(s: &str) -> String {
    // The scenario module's rule, so a name prints the same in an error
    // message and in a chart.
    crate::scenario::printable(s).into_owned()
}

/// Text colour for titles and labels.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (subtitles, notes).
pub const MUTED: RGBColor = RGBColor(0x5F, 0x5F, 0x5F);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// Axis lines.
pub const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88);

/// Register DejaVu Sans (regular and bold) as plotters' "sans-serif" once per
/// process, so PNG text is rasterised from the embedded font and renders the
/// same on every machine, with or without system fonts.
pub fn ensure_fonts() -> anyhow::Result<()> {
    static OK: OnceLock<bool> = OnceLock::new();
    let ok = *OK.get_or_init(|| {
        let r = plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular()).is_ok();
        let b = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold()).is_ok();
        r && b
    });
    if ok {
        Ok(())
    } else {
        anyhow::bail!("could not load the embedded DejaVu Sans font")
    }
}

/// Sizes in pixels for one image, proportional to its height (1080p = 1.0),
/// so a 960×540 chart is the 1920×1080 one at half size.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub w: u32,
    pub h: u32,
    pub s: f64,
}

impl Theme {
    pub fn new(w: u32, h: u32) -> Self {
        // Scale with the height, but not beyond what the width can hold
        // (square or portrait images get proportionally smaller text).
        Theme { w, h, s: (h as f64 / 1080.0).min(w as f64 / 1440.0) }
    }
    /// A length of `px` pixels at 1080p, scaled.
    pub fn px(&self, px: f64) -> i32 {
        (px * self.s).round() as i32
    }
    /// A length of `px` pixels at 1080p, scaled, at least 1.
    pub fn upx(&self, px: f64) -> u32 {
        (px * self.s).round().max(1.0) as u32
    }
    fn font(&self, size: f64, style: FontStyle) -> FontDesc<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.s, style)
    }
    /// Plotters font sizes are ~1.24× the em size; 58 gives a ≥ 46 px em
    /// at 1080p (SVG `font-size` ≈ 47).
    pub fn title(&self) -> FontDesc<'static> {
        self.font(58.0, FontStyle::Bold)
    }
    pub fn subtitle(&self) -> FontDesc<'static> {
        self.font(30.0, FontStyle::Normal)
    }
    pub fn panel_title(&self) -> FontDesc<'static> {
        self.font(32.0, FontStyle::Bold)
    }
    pub fn axis_desc(&self) -> FontDesc<'static> {
        self.font(33.0, FontStyle::Normal)
    }
    pub fn tick(&self) -> FontDesc<'static> {
        self.font(30.0, FontStyle::Normal)
    }
    pub fn legend(&self) -> FontDesc<'static> {
        self.font(32.0, FontStyle::Normal)
    }
    pub fn legend_head(&self) -> FontDesc<'static> {
        self.font(32.0, FontStyle::Bold)
    }
    pub fn note(&self) -> FontDesc<'static> {
        self.font(25.0, FontStyle::Normal)
    }
    pub fn value(&self) -> FontDesc<'static> {
        self.font(27.0, FontStyle::Bold)
    }
    pub fn line_width(&self) -> u32 {
        self.upx(4.5)
    }
}

/// `v` with `decimals` decimals and thousands separators: `12,345.6`,
/// `−3` (typographic minus), `–` for non-finite values.
pub fn fmt_num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.find('.') {
        Some(p) => (&s[..p], &s[p..]),
        None => (&s[..], ""),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3 + 1);
    let is_zero = s.bytes().all(|b| b == b'0' || b == b'.');
    if v < 0.0 && !is_zero {
        out.push('−');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out.push_str(frac);
    out
}

/// A tick label: [`fmt_num`] without trailing zero decimals (`1.0` → `1`,
/// `2.50` → `2.5`), so integer ticks of small count axes read as counts.
pub fn fmt_tick(v: f64, decimals: usize) -> String {
    let s = fmt_num(v, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Decimals for tick labels of an axis spanning `span`.
pub fn axis_decimals(span: f64) -> usize {
    let span = span.abs();
    if span >= 10.0 {
        0
    } else if span >= 1.0 {
        1
    } else {
        2
    }
}

/// Decimals for a value label of magnitude `v`.
pub fn value_decimals(v: f64) -> usize {
    let a = v.abs();
    // An exact zero (a strategy never best, a `none` strategy's lift) reads
    // as "0", not "0.00" beside a "100".
    if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_follow_names_and_stay_distinct() {
        let a = strategy_colors(["top influencers", "magic middle"]);
        let b = strategy_colors(["random", "magic middle", "top influencers"]);
        // Same name, same colour, whatever its position (unless it collides).
        assert_eq!(a[0], strategy_colors(["top influencers"])[0]);
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        let names: Vec<String> = (0..8).map(|i| format!("s{i}")).collect();
        let c = strategy_colors(names.iter().map(String::as_str));
        for i in 0..8 {
            for j in 0..i {
                assert_ne!(c[i], c[j], "{i} and {j} share a colour");
            }
        }
        assert_eq!(b.len(), 3);
        assert_eq!(strategy_colors((0..20).map(|_| "x")).len(), 20);
    }

    #[test]
    fn names_are_bounded_and_escaped() {
        assert_eq!(display_name("a\u{1b}[31mb\u{7}"), "a\\u{1b}[31mb\\u{7}");
        let long = "x".repeat(20_000);
        let d = display_name(&long);
        assert_eq!(d.chars().count(), MAX_NAME_CHARS);
        assert!(d.ends_with('…'));
        assert_eq!(display_name("plain"), "plain");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(fmt_num(0.0, 0), "0");
        assert_eq!(fmt_num(999.0, 0), "999");
        assert_eq!(fmt_num(1000.0, 0), "1,000");
        assert_eq!(fmt_num(1234567.891, 1), "1,234,567.9");
        assert_eq!(fmt_num(-12345.0, 0), "−12,345");
        assert_eq!(fmt_num(-0.001, 1), "0.0");
        assert_eq!(fmt_num(f64::NAN, 0), "–");
        assert_eq!(fmt_tick(3.0, 1), "3");
        assert_eq!(fmt_tick(2.5, 2), "2.5");
        assert_eq!(fmt_tick(1200.0, 0), "1,200");
    }
}
