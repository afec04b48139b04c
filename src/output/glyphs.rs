//! The PNG chart's backend: plotters' bitmap backend, with text laid out
//! glyph by glyph at each glyph's own bounds. (plotters 0.3.7's ab_glyph
//! text renderer leaves out each glyph's left bearing, which spaces letters
//! unevenly: "t hat", "paragraph s".) Everything else is the bitmap
//! backend's own drawing.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::backend::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};

type Error = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
type Drawn = Result<(), DrawingErrorKind<Error>>;

pub struct Bitmap<'a> {
    inner: BitMapBackend<'a>,
    font: FontRef<'static>,
}

impl<'a> Bitmap<'a> {
    pub fn new(inner: BitMapBackend<'a>, font: &'static [u8]) -> Option<Bitmap<'a>> {
        Some(Bitmap { inner, font: FontRef::try_from_slice(font).ok()? })
    }
}

impl DrawingBackend for Bitmap<'_> {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawn {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Drawn {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Drawn {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> Drawn {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Drawn {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(&mut self, centre: BackendCoord, r: u32, style: &S, fill: bool) -> Drawn {
        self.inner.draw_circle(centre, r, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> Drawn {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Drawn {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// The text at `pos` by its anchor, turned as its style says, each
    /// glyph's coverage blended in the text's colour.
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Drawn {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let scaled = self.font.as_scaled(PxScale::from(style.size() as f32));
        let (width, height) = (advance(&scaled, text), style.size() as f32 / 1.24);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        // The box's top is the font's ascent above the baseline.
        let baseline = scaled.ascent();
        let transform = style.transform();
        let mut caret = 0.0;
        let mut previous = None;
        let mut pixels = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                caret += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(scaled.scale(), point(caret + dx, baseline + dy));
            if let Some(outline) = scaled.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                outline.draw(|x, y, coverage| {
                    let (x, y) = (bounds.min.x as i32 + x as i32, bounds.min.y as i32 + y as i32);
                    pixels.push((transform.transform(x, y), coverage));
                });
            }
            caret += scaled.h_advance(id);
            previous = Some(id);
        }
        for ((x, y), coverage) in pixels {
            let blended = BackendColor { alpha: color.alpha * f64::from(coverage.min(1.0)), rgb: color.rgb };
            self.inner.draw_pixel((pos.0 + x, pos.1 + y), blended)?;
        }
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Error>> {
        let scaled = self.font.as_scaled(PxScale::from(style.size() as f32));
        Ok((advance(&scaled, text).ceil() as u32, (style.size() / 1.24) as u32))
    }
}

/// How far a line of text advances, kerning included.
fn advance<F: Font>(scaled: &ab_glyph::PxScaleFont<&F>, text: &str) -> f32 {
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}
