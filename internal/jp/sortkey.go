package jp

import "unicode"

// SortKey returns a byte string whose byte order (bytes.Compare, or ORDER BY
// on a BLOB/bytea column) is dictionary 五十音 order for readings in katakana
// or hiragana, following the rules of JIS X 4061 (日本語文字列照合順番):
//
//  1. Primary: the kana with voicing marks and small size ignored
//     (カ = ガ = ヵ, ハ = バ = パ, ツ = ッ); ー counts as the vowel of the kana
//     before it (アーク sorts as アアク); ン after ヲ; ヴ as ウ.
//  2. Then voicing, position by position: unvoiced < voiced < semi-voiced
//     (ハン < バン < パン).
//  3. Then size and length: ー < small kana < ordinary kana (アーク < アアク,
//     シャ < シヤ).
//  4. Finally the normalised text itself, so that different readings never
//     tie and hiragana sorts before katakana.
//
// Spaces and ・ are ignored. Anything that is not kana — Latin letters,
// digits, kanji — sorts after all kana, case-insensitively and otherwise in
// code point order (so ASCII before kanji).
func SortKey(reading string) string {
	var l1, l2, l3 []byte
	prev := rune(-1) // previous base kana, for ー
	norm := nfkc(reading)
	for _, r := range norm {
		if unicode.IsSpace(r) || r == '・' {
			continue
		}
		if r == 'ー' && prev >= 0 {
			l1 = append(l1, kanaWeight[vowelOf(prev)])
			l2 = append(l2, 2)
			l3 = append(l3, 2)
			continue
		}
		k, ok := baseKana(r)
		if !ok {
			prev = -1
			c := unicode.ToLower(r)
			l1 = append(l1, 0xF0, byte(c>>16), byte(c>>8), byte(c)) // after every kana weight
			l2 = append(l2, 2)
			l3 = append(l3, 4)
			continue
		}
		prev = k.base
		l1 = append(l1, kanaWeight[k.base])
		l2 = append(l2, 2+k.voicing)
		l3 = append(l3, 3+k.size)
	}
	// Levels are separated by 0x01, below every weight, so that a key that is a
	// prefix of another at one level sorts first (カ < カア).
	key := make([]byte, 0, len(l1)+len(l2)+len(l3)+len(norm)+3)
	key = append(key, l1...)
	key = append(key, 1)
	key = append(key, l2...)
	key = append(key, 1)
	key = append(key, l3...)
	key = append(key, 1)
	key = append(key, norm...)
	return string(key)
}

// gojuon is the primary order. ゐ and ゑ keep their historical places in わ行.
const gojuon = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわゐゑをん"

var kanaWeight = func() map[rune]byte {
	m := map[rune]byte{}
	w := byte(0x10)
	for _, r := range gojuon {
		m[r] = w
		w++
	}
	return m
}()

type kanaInfo struct {
	base    rune // large, unvoiced hiragana
	voicing byte // 0 unvoiced, 1 voiced (゛), 2 semi-voiced (゜)
	size    byte // 0 small, 1 ordinary
}

// baseKana decomposes a kana letter (hiragana or katakana) into its large
// unvoiced hiragana, voicing and size.
func baseKana(r rune) (kanaInfo, bool) {
	if isKatakana(r) {
		switch r {
		case 'ヷ', 'ヸ', 'ヹ', 'ヺ':
			return kanaInfo{base: r - 'ヷ' + 'わ', voicing: 1, size: 1}, true
		case 'ヽ', 'ヾ': // iteration marks have no reading of their own
			return kanaInfo{}, false
		}
		r -= kanaOffset
	}
	if r < 0x3041 || r > 0x3096 {
		return kanaInfo{}, false
	}
	info := kanaInfo{base: r, size: 1}
	if b, ok := small[r]; ok {
		info.base, info.size = b, 0
	}
	if b, ok := voiced[info.base]; ok {
		info.base, info.voicing = b, 1
	} else if b, ok := semiVoiced[info.base]; ok {
		info.base, info.voicing = b, 2
	}
	if _, ok := kanaWeight[info.base]; !ok {
		return kanaInfo{}, false
	}
	return info, true
}

var small, voiced, semiVoiced = pairs("ぁあぃいぅうぇえぉおっつゃやゅゆょよゎわゕかゖけ"),
	pairs("がかぎきぐくげけござじしずすぜせぞそだたぢちづつでてどとばはびひぶふべへぼほゔう"),
	pairs("ぱはぴひぷふぺへぽほ")

func pairs(s string) map[rune]rune {
	rs := []rune(s)
	m := make(map[rune]rune, len(rs)/2)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = rs[i+1]
	}
	return m
}

// vowelOf gives the vowel kana of a base kana (か → あ, き → い), which is
// what ー stands for after it; ん stays ん.
func vowelOf(base rune) rune {
	if v, ok := vowels[base]; ok {
		return v
	}
	return base
}

var vowels = func() map[rune]rune {
	m := map[rune]rune{}
	for _, col := range []string{"あかさたなはまやらわ", "いきしちにひみりゐ", "うくすつぬふむゆる", "えけせてねへめれゑ", "おこそとのほもよろを"} {
		v := []rune(col)[0]
		for _, r := range col {
			m[r] = v
		}
	}
	return m
}()

// rowOf maps a base kana to its GojuonRows heading; ん is indexed with わ行.
var rowOf = func() map[rune]string {
	m := map[rune]string{}
	for _, row := range []string{"あいうえお", "かきくけこ", "さしすせそ", "たちつてと", "なにぬねの", "はひふへほ", "まみむめも", "やゆよ", "らりるれろ", "わゐゑをん"} {
		head := string([]rune(row)[0])
		for _, r := range row {
			m[r] = head
		}
	}
	return m
}()

// GojuonRows are the index headings of a 五十音 index, in order: あ行 … わ行,
// then 他 for readings that do not start with kana.
var GojuonRows = []string{"あ", "か", "さ", "た", "な", "は", "ま", "や", "ら", "わ", "他"}

// GojuonRow returns the heading of GojuonRows under which a reading belongs,
// by its first letter: "カブシキガイシャ" and "がっこう" → "か", "ヴィラ" → "あ",
// "ン…" → "わ" (ん is indexed with わ行), anything else → "他".
func GojuonRow(reading string) string {
	for _, r := range nfkc(reading) {
		if unicode.IsSpace(r) || r == '・' {
			continue
		}
		if k, ok := baseKana(r); ok {
			return rowOf[k.base]
		}
		return "他"
	}
	return "他"
}
