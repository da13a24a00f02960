package jp

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The municipalities the product is first deployed around: 東京都 itself, the
// 23 special wards and every city, town and village of 多摩. Only the 5-digit
// codes are written down; check digits are computed with LocalGovCheckDigit
// so that a typo cannot produce a code that fails validation elsewhere.
var tokyoMunicipalities = []struct{ code5, ja, en string }{
	{"13000", "東京都", "Tokyo"},
	{"13101", "千代田区", "Chiyoda City"},
	{"13102", "中央区", "Chuo City"},
	{"13103", "港区", "Minato City"},
	{"13104", "新宿区", "Shinjuku City"},
	{"13105", "文京区", "Bunkyo City"},
	{"13106", "台東区", "Taito City"},
	{"13107", "墨田区", "Sumida City"},
	{"13108", "江東区", "Koto City"},
	{"13109", "品川区", "Shinagawa City"},
	{"13110", "目黒区", "Meguro City"},
	{"13111", "大田区", "Ota City"},
	{"13112", "世田谷区", "Setagaya City"},
	{"13113", "渋谷区", "Shibuya City"},
	{"13114", "中野区", "Nakano City"},
	{"13115", "杉並区", "Suginami City"},
	{"13116", "豊島区", "Toshima City"},
	{"13117", "北区", "Kita City"},
	{"13118", "荒川区", "Arakawa City"},
	{"13119", "板橋区", "Itabashi City"},
	{"13120", "練馬区", "Nerima City"},
	{"13121", "足立区", "Adachi City"},
	{"13122", "葛飾区", "Katsushika City"},
	{"13123", "江戸川区", "Edogawa City"},
	{"13201", "八王子市", "Hachioji City"},
	{"13202", "立川市", "Tachikawa City"},
	{"13203", "武蔵野市", "Musashino City"},
	{"13204", "三鷹市", "Mitaka City"},
	{"13205", "青梅市", "Ome City"},
	{"13206", "府中市", "Fuchu City"},
	{"13207", "昭島市", "Akishima City"},
	{"13208", "調布市", "Chofu City"},
	{"13209", "町田市", "Machida City"},
	{"13210", "小金井市", "Koganei City"},
	{"13211", "小平市", "Kodaira City"},
	{"13212", "日野市", "Hino City"},
	{"13213", "東村山市", "Higashimurayama City"},
	{"13214", "国分寺市", "Kokubunji City"},
	{"13215", "国立市", "Kunitachi City"},
	{"13218", "福生市", "Fussa City"},
	{"13219", "狛江市", "Komae City"},
	{"13220", "東大和市", "Higashiyamato City"},
	{"13221", "清瀬市", "Kiyose City"},
	{"13222", "東久留米市", "Higashikurume City"},
	{"13223", "武蔵村山市", "Musashimurayama City"},
	{"13224", "多摩市", "Tama City"},
	{"13225", "稲城市", "Inagi City"},
	{"13227", "羽村市", "Hamura City"},
	{"13228", "あきる野市", "Akiruno City"},
	{"13229", "西東京市", "Nishitokyo City"},
	{"13303", "瑞穂町", "Mizuho Town"},
	{"13305", "日の出町", "Hinode Town"},
	{"13307", "檜原村", "Hinohara Village"},
	{"13308", "奥多摩町", "Okutama Town"},
}

// tokyoBorders lists pairs of municipalities in the table above that share a
// land (or river) boundary. It only holds pairs we are sure of; pairs that
// may touch at a single point or that we could not confirm are left out, and
// neighbours outside the table (埼玉県, 神奈川県, 山梨県) are out of scope. The
// list ranks "nearby" suppliers, so a missing pair costs a little ranking,
// while a wrong one would mislead.
var tokyoBorders = [][2]string{
	// 23 wards
	{"千代田区", "中央区"}, {"千代田区", "港区"}, {"千代田区", "新宿区"}, {"千代田区", "文京区"}, {"千代田区", "台東区"},
	{"中央区", "港区"}, {"中央区", "台東区"}, {"中央区", "墨田区"}, {"中央区", "江東区"},
	{"港区", "新宿区"}, {"港区", "渋谷区"}, {"港区", "品川区"}, {"港区", "江東区"},
	{"新宿区", "文京区"}, {"新宿区", "豊島区"}, {"新宿区", "中野区"}, {"新宿区", "渋谷区"},
	{"文京区", "台東区"}, {"文京区", "荒川区"}, {"文京区", "北区"}, {"文京区", "豊島区"},
	{"台東区", "荒川区"}, {"台東区", "墨田区"},
	{"墨田区", "江東区"}, {"墨田区", "荒川区"}, {"墨田区", "足立区"}, {"墨田区", "葛飾区"}, {"墨田区", "江戸川区"},
	{"江東区", "江戸川区"},
	{"品川区", "目黒区"}, {"品川区", "大田区"},
	{"目黒区", "渋谷区"}, {"目黒区", "世田谷区"}, {"目黒区", "大田区"},
	{"大田区", "世田谷区"},
	{"世田谷区", "渋谷区"}, {"世田谷区", "杉並区"},
	{"渋谷区", "中野区"}, {"渋谷区", "杉並区"},
	{"中野区", "杉並区"}, {"中野区", "練馬区"}, {"中野区", "豊島区"},
	{"杉並区", "練馬区"},
	{"豊島区", "北区"}, {"豊島区", "板橋区"}, {"豊島区", "練馬区"},
	{"北区", "荒川区"}, {"北区", "足立区"}, {"北区", "板橋区"},
	{"荒川区", "足立区"},
	{"板橋区", "練馬区"},
	{"足立区", "葛飾区"},
	{"葛飾区", "江戸川区"},
	// wards and 多摩
	{"世田谷区", "三鷹市"}, {"世田谷区", "調布市"}, {"世田谷区", "狛江市"},
	{"杉並区", "武蔵野市"}, {"杉並区", "三鷹市"},
	{"練馬区", "武蔵野市"}, {"練馬区", "西東京市"}, {"練馬区", "東久留米市"},
	// 多摩
	{"日野市", "八王子市"}, {"日野市", "立川市"}, {"日野市", "府中市"}, {"日野市", "国立市"}, {"日野市", "多摩市"}, {"日野市", "昭島市"},
	{"八王子市", "昭島市"}, {"八王子市", "多摩市"}, {"八王子市", "町田市"}, {"八王子市", "あきる野市"}, {"八王子市", "檜原村"},
	{"立川市", "昭島市"}, {"立川市", "国立市"}, {"立川市", "国分寺市"}, {"立川市", "小平市"}, {"立川市", "東大和市"}, {"立川市", "武蔵村山市"},
	{"昭島市", "福生市"},
	{"府中市", "国立市"}, {"府中市", "国分寺市"}, {"府中市", "小金井市"}, {"府中市", "調布市"}, {"府中市", "多摩市"}, {"府中市", "稲城市"},
	{"国立市", "国分寺市"},
	{"国分寺市", "小平市"}, {"国分寺市", "小金井市"},
	{"小金井市", "小平市"}, {"小金井市", "西東京市"}, {"小金井市", "武蔵野市"}, {"小金井市", "三鷹市"}, {"小金井市", "調布市"},
	{"小平市", "東大和市"}, {"小平市", "東村山市"}, {"小平市", "東久留米市"}, {"小平市", "西東京市"},
	{"東大和市", "武蔵村山市"}, {"東大和市", "東村山市"},
	{"東村山市", "東久留米市"}, {"東村山市", "清瀬市"},
	{"清瀬市", "東久留米市"},
	{"東久留米市", "西東京市"},
	{"西東京市", "武蔵野市"},
	{"武蔵野市", "三鷹市"},
	{"三鷹市", "調布市"},
	{"調布市", "狛江市"}, {"調布市", "稲城市"},
	{"多摩市", "稲城市"}, {"多摩市", "町田市"},
	{"武蔵村山市", "瑞穂町"},
	{"青梅市", "羽村市"}, {"青梅市", "瑞穂町"}, {"青梅市", "日の出町"}, {"青梅市", "あきる野市"}, {"青梅市", "奥多摩町"},
	{"福生市", "羽村市"}, {"福生市", "瑞穂町"}, {"福生市", "あきる野市"},
	{"羽村市", "瑞穂町"}, {"羽村市", "あきる野市"},
	{"あきる野市", "日の出町"}, {"あきる野市", "檜原村"},
	{"檜原村", "奥多摩町"},
}

type municipalityIndex struct {
	byCode     map[string]int    // 6-digit code → index in tokyoMunicipalities
	code6      []string          // parallel to tokyoMunicipalities
	byName     map[string]string // accepted spellings → 6-digit code
	neighbours map[string][]string
}

var municipalities = sync.OnceValue(func() *municipalityIndex {
	ix := &municipalityIndex{
		byCode:     map[string]int{},
		byName:     map[string]string{},
		neighbours: map[string][]string{},
	}
	for i, m := range tokyoMunicipalities {
		d, err := LocalGovCheckDigit(m.code5)
		if err != nil {
			panic("jp: bad municipality code " + m.code5)
		}
		code := m.code5 + strconv.Itoa(d)
		ix.byCode[code] = i
		ix.code6 = append(ix.code6, code)
		ix.byName[m.ja] = code
		ix.byName[strings.ToLower(m.en)] = code
		if i > 0 {
			ix.byName["東京都"+m.ja] = code
			ix.byName[strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m.en, " City"), " Town"), " Village"))] = code
		}
		if strings.HasPrefix(m.code5, "133") { // towns and villages of 西多摩郡
			ix.byName["西多摩郡"+m.ja] = code
			ix.byName["東京都西多摩郡"+m.ja] = code
		}
	}
	ix.byName["tokyo metropolis"] = ix.code6[0]
	for _, p := range tokyoBorders {
		a, okA := ix.byName[p[0]]
		b, okB := ix.byName[p[1]]
		if !okA || !okB || a == b {
			panic("jp: bad border " + p[0] + "/" + p[1])
		}
		ix.neighbours[a] = append(ix.neighbours[a], b)
		ix.neighbours[b] = append(ix.neighbours[b], a)
	}
	for _, v := range ix.neighbours {
		slices.Sort(v)
	}
	return ix
})

// MunicipalityName returns the Japanese and English names of a municipality
// in the built-in table (東京都, the 23 wards and 多摩) by its 6-digit code.
func MunicipalityName(code6 string) (ja, en string, ok bool) {
	i, ok := municipalities().byCode[strings.TrimSpace(code6)]
	if !ok {
		return "", "", false
	}
	m := tokyoMunicipalities[i]
	return m.ja, m.en, true
}

// MunicipalityCodeByName finds the 6-digit code of a municipality in the
// built-in table. It accepts the Japanese name ("日野市"), the name with its
// prefecture or district ("東京都日野市", "西多摩郡瑞穂町") and the English name
// with or without "City"/"Town"/"Village", in any case and width.
func MunicipalityCodeByName(name string) (string, bool) {
	n := strings.TrimSpace(nfkc(name))
	ix := municipalities()
	if code, ok := ix.byName[n]; ok {
		return code, true
	}
	code, ok := ix.byName[strings.ToLower(strings.Join(strings.Fields(n), " "))]
	return code, ok
}

// Neighbours returns the 6-digit codes of the municipalities in the built-in
// table that share a border with code6, sorted by code; nil if there are none
// or the code is not in the table. The list stops at the table's edge: 町田市
// borders 神奈川県 too, but only its Tokyo neighbours are listed.
func Neighbours(code6 string) []string {
	return slices.Clone(municipalities().neighbours[strings.TrimSpace(code6)])
}

// MunicipalityCodes returns the 6-digit codes of the built-in table in code
// order: 東京都, the 23 wards, the cities, then the towns and villages.
func MunicipalityCodes() []string { return slices.Clone(municipalities().code6) }
