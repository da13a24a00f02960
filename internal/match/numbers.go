package match

import (
	"math"
	"strconv"
	"strings"
)

// num is a number found in a normalised text with what surrounds it.
type num struct {
	v          float64
	start, end int    // rune offsets of the digits
	before     string // up to 6 runes before
	after      string // up to 8 runes after
}

// numbers finds decimal numbers (with , thousands separators and 万/千
// multipliers) in r.
func numbers(r []rune) []num {
	var out []num
	n := len(r)
	for i := 0; i < n; i++ {
		if !isDigit(r[i]) {
			continue
		}
		if i > 0 && (isASCIILetter(r[i-1]) && !(r[i-1] == 'l' || r[i-1] == 't' || r[i-1] == 'x' || r[i-1] == 'φ')) {
			// part of a token such as sus304, a5052, iso9001 (but L300, t6, 2x3 are numbers)
			j := i
			for j < n && (isDigit(r[j]) || r[j] == '.') {
				j++
			}
			i = j - 1
			continue
		}
		j := i
		var b strings.Builder
		for j < n && (isDigit(r[j]) || (r[j] == ',' && j+3 < n+1 && j+1 < n && isDigit(r[j+1]) && countDigits(r[j+1:]) == 3) || (r[j] == '.' && j+1 < n && isDigit(r[j+1]))) {
			if r[j] != ',' {
				b.WriteRune(r[j])
			}
			j++
		}
		v, err := strconv.ParseFloat(b.String(), 64)
		if err != nil {
			i = j
			continue
		}
		end := j
		if j < n && r[j] == '万' {
			v *= 10000
			end = j + 1
		} else if j < n && r[j] == '千' {
			v *= 1000
			end = j + 1
		}
		bs := i - 6
		if bs < 0 {
			bs = 0
		}
		ae := end + 8
		if ae > n {
			ae = n
		}
		out = append(out, num{v: v, start: i, end: end, before: string(r[bs:i]), after: string(r[end:ae])})
		i = end - 1
	}
	return out
}

func countDigits(r []rune) int {
	k := 0
	for k < len(r) && isDigit(r[k]) {
		k++
	}
	return k
}

// lengthUnit reads a length unit at the start of s and returns the factor to
// millimetres (0 = no unit).
func lengthUnit(s string) (float64, int) {
	s = strings.TrimLeft(s, " ")
	switch {
	case strings.HasPrefix(s, "mm"), strings.HasPrefix(s, "ミリ"):
		return 1, 2
	case strings.HasPrefix(s, "μm"), strings.HasPrefix(s, "um"), strings.HasPrefix(s, "ミクロン"):
		return 0.001, 2
	case strings.HasPrefix(s, "cm"), strings.HasPrefix(s, "センチ"):
		return 10, 2
	case strings.HasPrefix(s, "メートル"), strings.HasPrefix(s, "meter"), strings.HasPrefix(s, "metre"):
		return 1000, 4
	case strings.HasPrefix(s, "m") && !strings.HasPrefix(s, "mo") && !strings.HasPrefix(s, "mi") && !strings.HasPrefix(s, "ma") && !strings.HasPrefix(s, "me"):
		return 1000, 1
	case strings.HasPrefix(s, "inch"), strings.HasPrefix(s, "インチ"), strings.HasPrefix(s, "\""), strings.HasPrefix(s, "in "):
		return 25.4, 2
	}
	return 0, 0
}

// stripParens removes (…) and 【…】 parts.
func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '【', '[', '「':
			depth++
			continue
		case ')', '】', ']', '」':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sizeFromField reads the largest dimension in mm from a max-workpiece-size
// field (620×310×248mm, φ20mm×L100mm（棒材径）, 成形品 最大300mm（型締力180t）).
func sizeFromField(s string) float64 {
	t := normalize(stripParens(nfkc(s)))
	best := 0.0
	for _, x := range numbers(t.r) {
		f, _ := lengthUnit(x.after)
		if f == 0 {
			// dimensions of a × chain share the last unit; default mm
			f = 1
			if strings.HasPrefix(strings.TrimLeft(x.after, " "), "t") || strings.HasPrefix(strings.TrimLeft(x.after, " "), "kw") {
				continue
			}
		}
		if v := x.v * f; v > best && v < 100000 {
			best = v
		}
	}
	return best
}

// sentenceSplit splits normalised runes into sentences [start, end).
func sentenceSplit(r []rune) [][2]int {
	var out [][2]int
	s := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		end := false
		switch c {
		case '。', '!', '?', '\n':
			end = true
		case '.':
			// English full stop: followed by space or end, not a decimal point
			if i+1 == len(r) || r[i+1] == ' ' {
				if !(i > 0 && isDigit(r[i-1]) && i+1 < len(r) && isDigit(r[i+1])) {
					end = true
				}
			}
		}
		if end {
			if i+1 > s {
				out = append(out, [2]int{s, i + 1})
			}
			s = i + 1
		}
	}
	if s < len(r) {
		out = append(out, [2]int{s, len(r)})
	}
	return out
}

// docFacts are numeric capabilities read from a doc.
type docFacts struct {
	maxSize float64 // mm, 0 = unknown
	minHole float64 // mm, 0 = unknown
	tol     float64 // mm, 0 = unknown
}

// readDocFacts reads the maximum workpiece size, the smallest hole and the
// best tolerance a doc states.
func readDocFacts(d *Doc, pr *ntext) docFacts {
	var f docFacts
	if d.MaxWorkpieceSize != "" {
		f.maxSize = sizeFromField(d.MaxWorkpieceSize)
	}
	for _, se := range sentenceSplit(pr.r) {
		sent := pr.r[se[0]:se[1]]
		ss := string(sent)
		nums := numbers(sent)
		hole := strings.Contains(ss, "穴")
		sizeCtx := containsAny(ss, "最大", "ワークサイズ", "全長", "加工サイズ", "大物", "長尺", "定尺")
		for _, x := range nums {
			unit, _ := lengthUnit(x.after)
			b := x.before
			switch {
			case strings.HasSuffix(b, "±"):
				if unit == 0 {
					unit = 1
				}
				if v := x.v * unit; v > 0 && (f.tol == 0 || v < f.tol) {
					f.tol = v
				}
			case hole && (strings.HasSuffix(b, "φ") || strings.HasSuffix(b, "直径") || strings.HasSuffix(b, "穴径") || strings.HasSuffix(b, "径")):
				if unit == 0 {
					unit = 1
				}
				if v := x.v * unit; v > 0 && v < 5 && (f.minHole == 0 || v < f.minHole) {
					f.minHole = v
				}
			case sizeCtx && unit >= 1 && !strings.HasSuffix(b, "板厚") && !strings.HasSuffix(b, "厚"):
				if f.maxSize == 0 || (d.MaxWorkpieceSize == "" && x.v*unit > f.maxSize) {
					if v := x.v * unit; v > 1 && v < 100000 && !strings.HasSuffix(strings.TrimRight(b, " "), "板厚") {
						f.maxSize = math.Max(f.maxSize, v)
					}
				}
			}
		}
	}
	return f
}
