package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Missing is printed in place of a character the typeface cannot show and that
// has no compatibility equivalent it can (the geta mark, 〓, the traditional
// typesetter's sign for "character not available").
const Missing = "〓"

// Substitution records a character of the profile that is printed differently.
type Substitution struct {
	From string // as written in the profile
	To   string // as printed (its NFKC form, or Missing)
}

// CheckText returns text as it will be printed and the substitutions made: every
// character is printed as itself when the embedded typeface has it, as its NFKC
// compatibility form when that is printable (e.g. ⼀ → 一, ﬁ → fi), and otherwise as
// a visible 〓 (an emoji with its modifiers, joiners and variation selectors
// becomes a single 〓). Nothing is dropped silently except invisible format
// characters (zero-width spaces and joiners outside emoji, variation selectors
// after a printable base, BOM) and control characters; tabs become spaces.
// The web edge can call it to warn a member before publishing.
func CheckText(text string) (string, []Substitution, error) {
	fs, err := loadFonts()
	if err != nil {
		return "", nil, err
	}
	var subs []Substitution
	out := sanitize(fs, text, true, &subs)
	return out, subs, nil
}

// covered reports whether both weights can print r.
func (fs *fontSet) covered(r rune) bool { return fs.regular.has(r) && fs.bold.has(r) }

func isInvisible(r rune) bool {
	switch {
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x00AD:
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	}
	return false
}

// isEmojiTrailer is a code point that belongs to the emoji before it.
func isEmojiTrailer(r rune) bool {
	switch {
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
		return true
	case r >= 0xE0020 && r <= 0xE007F: // tag characters (flags of regions)
		return true
	case r == 0x20E3, r >= 0xFE00 && r <= 0xFE0F:
		return true
	}
	return false
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// sanitize makes s printable with the embedded fonts (see CheckText). multiline
// keeps line breaks (normalised to \n); otherwise they become spaces.
func sanitize(fs *fontSet, s string, multiline bool, subs *[]Substitution) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\n':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
			continue
		case r == '\t':
			b.WriteByte(' ')
			continue
		case r == utf8.RuneError && !fs.covered(r):
			// invalid UTF-8 in the input: visible
			b.WriteString(Missing)
			if subs != nil {
				*subs = append(*subs, Substitution{From: string(r), To: Missing})
			}
			continue
		case unicode.IsControl(r):
			continue
		case isInvisible(r):
			continue
		}
		if fs.covered(r) {
			b.WriteRune(r)
			continue
		}
		// not in the font: its compatibility form, if that is printable
		if n := norm.NFKC.String(string(r)); n != string(r) && n != "" && allCovered(fs, n) {
			b.WriteString(n)
			if subs != nil {
				*subs = append(*subs, Substitution{From: string(r), To: n})
			}
			continue
		}
		// otherwise one visible mark for the whole emoji / grapheme
		from := []rune{r}
		j := i + 1
		if isRegionalIndicator(r) && j < len(rs) && isRegionalIndicator(rs[j]) {
			from = append(from, rs[j])
			j++
		}
		for j < len(rs) {
			switch {
			case isEmojiTrailer(rs[j]):
				from = append(from, rs[j])
				j++
				continue
			case rs[j] == 0x200D && j+1 < len(rs): // zero-width joiner + next part
				from = append(from, rs[j], rs[j+1])
				j += 2
				continue
			case unicode.Is(unicode.Mn, rs[j]) && !fs.covered(rs[j]):
				from = append(from, rs[j])
				j++
				continue
			}
			break
		}
		i = j - 1
		b.WriteString(Missing)
		if subs != nil {
			*subs = append(*subs, Substitution{From: string(from), To: Missing})
		}
	}
	return b.String()
}

func allCovered(fs *fontSet, s string) bool {
	for _, r := range s {
		if !fs.covered(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// oneLine cleans a single-line field: printable, trimmed, inner whitespace runs
// collapsed.
func oneLine(fs *fontSet, s string) string {
	s = sanitize(fs, s, false, nil)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
}

// paragraphs cleans a multi-line field: printable, trailing spaces trimmed, runs of
// blank lines collapsed.
func paragraphs(fs *fontSet, s string) string {
	s = sanitize(fs, s, true, nil)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \u3000")
		if strings.TrimSpace(l) == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// ---- line breaking -------------------------------------------------------

// Characters that must not begin a line (行頭禁則) and must not end one (行末禁則).
const (
	noStart = "、。，．,.:;!?！？）)]］｝}〕〉》」』】〙〗〟’”｠»ゝゞー－ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～・：；…‥％%℃°′″"
	noEnd   = "（([［｛{〔〈《「『【〘〖〝‘“｟«＄$￥¥＃#〒"
)

var noStartSet, noEndSet = runeSet(noStart), runeSet(noEnd)

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool)
	for _, r := range s {
		m[r] = true
	}
	return m
}

// isWordRune is part of a Latin word or number that should not be broken.
func isWordRune(r rune) bool {
	return r < 0x80 && r != ' ' || r >= 0xFF10 && r <= 0xFF19 || r >= 0xFF21 && r <= 0xFF3A || r >= 0xFF41 && r <= 0xFF5A ||
		r >= 0xC0 && r <= 0x24F
}

type line struct {
	text    string
	width   float64
	justify bool // a full line of a paragraph: spread to the measure
}

// unit is an unbreakable piece: one CJK character, a Latin word, or a space.
type unit struct {
	s     string
	w     float64
	space bool
	first rune
	last  rune
}

func units(f *face, s string, size float64) []unit {
	var us []unit
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		if r == ' ' {
			us = append(us, unit{s: " ", w: f.measure(" ", size), space: true, first: r, last: r})
			i++
			continue
		}
		j := i + 1
		if isWordRune(r) {
			for j < len(rs) && isWordRune(rs[j]) && rs[j] != ' ' {
				j++
			}
		}
		w := string(rs[i:j])
		us = append(us, unit{s: w, w: f.measure(w, size), first: r, last: rs[j-1]})
		i = j
	}
	return us
}

// wrap breaks text (paragraphs separated by \n) into lines no wider than width.
func wrap(f *face, text string, size, width float64) []line {
	var out []line
	for _, para := range strings.Split(text, "\n") {
		if para == "" {
			out = append(out, line{})
			continue
		}
		out = append(out, wrapPara(f, para, size, width)...)
	}
	return out
}

func wrapPara(f *face, para string, size, width float64) []line {
	us := units(f, para, size)
	// split words wider than a line into characters
	for i := 0; i < len(us); i++ {
		if !us[i].space && us[i].w > width && utf8.RuneCountInString(us[i].s) > 1 {
			var parts []unit
			for _, r := range us[i].s {
				parts = append(parts, unit{s: string(r), w: f.measure(string(r), size), first: r, last: r})
			}
			us = append(us[:i], append(parts, us[i+1:]...)...)
		}
	}
	var lines []line
	start := 0
	for start < len(us) {
		// skip spaces at the start of a line
		for start < len(us) && us[start].space {
			start++
		}
		if start >= len(us) {
			break
		}
		w := 0.0
		end := start
		for end < len(us) && w+us[end].w <= width+1e-6 {
			w += us[end].w
			end++
		}
		if end < len(us) && end > start {
			// kinsoku: move the break back while the next line would begin with a
			// forbidden character or this one would end with one
			b := end
			for b > start+1 && (!us[b].space && noStartSet[us[b].first] || noEndSet[us[b-1].last]) {
				b--
			}
			if b > start {
				end = b
			}
		}
		if end == start { // a single unit wider than the line (cannot happen after splitting, but be safe)
			end = start + 1
		}
		lines = append(lines, makeLine(us[start:end], end < len(us)))
		start = end
	}
	return lines
}

func makeLine(us []unit, full bool) line {
	// trim trailing spaces
	for len(us) > 0 && us[len(us)-1].space {
		us = us[:len(us)-1]
	}
	var b strings.Builder
	w := 0.0
	for _, u := range us {
		b.WriteString(u.s)
		w += u.w
	}
	return line{text: b.String(), width: w, justify: full}
}

// ContinueMarker ends a text that was cut to keep the report on one page.
const ContinueMarker = "…続きはWebで"

// fitLines wraps text into at most maxLines lines (maxLines ≤ 0: unlimited). When
// it does not fit, the text is cut after the last whole sentence that fits,
// followed by ContinueMarker; when no sentence end is close enough, it is cut
// after the last character that fits. cut reports whether that happened.
func fitLines(f *face, text string, size, width float64, maxLines int) (lines []line, cut bool) {
	lines = wrap(f, text, size, width)
	if maxLines <= 0 || len(lines) <= maxLines {
		return lines, false
	}
	rs := []rune(text)
	// rough upper bound of how many runes can fit: what the first maxLines lines hold
	budget := 0
	for _, l := range lines[:maxLines] {
		budget += utf8.RuneCountInString(l.text) + 1
	}
	if budget > len(rs) {
		budget = len(rs)
	}
	// sentence ends at or before budget, latest first
	tries := 0
	for i := budget - 1; i > 0 && tries < 12; i-- {
		if !isSentenceEnd(rs, i) {
			continue
		}
		tries++
		cand := strings.TrimRight(string(rs[:i+1]), " \n\u3000") + ContinueMarker
		ls := wrap(f, cand, size, width)
		if len(ls) <= maxLines {
			// accept when it keeps at least half of the room (or the room is tiny)
			if len(ls)*2 >= maxLines || maxLines <= 2 {
				return ls, true
			}
			break
		}
	}
	// character cut: fill the lines, then shorten the last one for the marker
	// (in a column too narrow for the marker, a bare "…" marks the cut)
	pos := advance(rs, lines[:maxLines-1])
	last := []rune(lines[maxLines-1].text)
	for _, marker := range []string{ContinueMarker, "…"} {
		for n := len(last); n >= 0; n-- {
			cand := string(rs[:pos]) + string(last[:n]) + marker
			ls := wrap(f, cand, size, width)
			if len(ls) <= maxLines {
				return ls, true
			}
		}
	}
	ls := lines[:maxLines]
	ls[maxLines-1].text = ellipsize(f, ls[maxLines-1].text+"…", size, width)
	ls[maxLines-1].width = f.measure(ls[maxLines-1].text, size)
	ls[maxLines-1].justify = false
	return ls, true
}

// advance returns the rune offset in rs just after the given wrapped lines.
func advance(rs []rune, ls []line) int {
	pos := 0
	for _, l := range ls {
		lr := []rune(l.text)
		// skip separators the wrapper dropped (spaces at line starts, newlines)
		for pos < len(rs) && (rs[pos] == ' ' || rs[pos] == '\n') && (len(lr) == 0 || rs[pos] != lr[0]) {
			pos++
		}
		pos += len(lr)
		if pos > len(rs) {
			return len(rs)
		}
	}
	return pos
}

func isSentenceEnd(rs []rune, i int) bool {
	switch rs[i] {
	case '。', '！', '？', '!', '?', '．':
	case '\n':
		return true
	case '」', '）', ')':
		return i > 0 && strings.ContainsRune("。！？", rs[i-1])
	default:
		return false
	}
	// not when a closing bracket follows (the sentence continues to it)
	if i+1 < len(rs) && strings.ContainsRune("」）)』", rs[i+1]) {
		return false
	}
	return true
}

// ellipsize shortens a single line to width with a trailing "…".
func ellipsize(f *face, s string, size, width float64) string {
	if f.measure(s, size) <= width {
		return s
	}
	rs := []rune(s)
	ew := f.measure("…", size)
	w := 0.0
	for i, r := range rs {
		cw := f.measure(string(r), size)
		if w+cw+ew > width {
			return strings.TrimRight(string(rs[:i]), " ") + "…"
		}
		w += cw
	}
	return s
}

// wrapChars breaks s anywhere (for URLs and codes), into at most maxLines lines;
// the last line ends in "…" when s is longer.
func wrapChars(f *face, s string, size, width float64, maxLines int) []string {
	var out []string
	rs := []rune(s)
	for len(rs) > 0 && len(out) < maxLines {
		w, n := 0.0, 0
		for n < len(rs) {
			cw := f.measure(string(rs[n]), size)
			if n > 0 && w+cw > width {
				break
			}
			w += cw
			n++
		}
		out = append(out, string(rs[:n]))
		rs = rs[n:]
	}
	if len(rs) > 0 && len(out) > 0 {
		out[len(out)-1] = ellipsize(f, out[len(out)-1]+string(rs), size, width)
	}
	return out
}

// clampLines wraps text into at most max lines, the last ending in "…" when the
// text is longer (for short fields such as an address, where "continued on the
// Web" would be out of place).
func clampLines(f *face, text string, size, width float64, max int) []string {
	ls := wrap(f, text, size, width)
	out := make([]string, 0, max)
	for i, ln := range ls {
		if i == max {
			break
		}
		out = append(out, ln.text)
	}
	if len(ls) > max {
		out[max-1] = ellipsize(f, out[max-1]+"…", size, width)
	}
	return out
}
