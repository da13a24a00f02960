package match

import "strings"

// A small table of the Tama-area municipalities (and their 23-ward and
// Kanagawa / Saitama neighbours as far as needed): 全国地方公共団体コード and
// adjacency. It is the engine's own copy so that the package has no
// dependency on the municipality code package; NeighbourFunc can replace it.

type cityInfo struct {
	Name  string
	Code  string
	Short string // without 市/町/村: 日野
	EN    string // romanised: hino
}

var cities = []cityInfo{
	{"八王子市", "132012", "八王子", "hachioji"},
	{"立川市", "132021", "立川", "tachikawa"},
	{"武蔵野市", "132039", "武蔵野", "musashino"},
	{"三鷹市", "132047", "三鷹", "mitaka"},
	{"青梅市", "132055", "青梅", "ome"},
	{"府中市", "132063", "府中", "fuchu"},
	{"昭島市", "132071", "昭島", "akishima"},
	{"調布市", "132080", "調布", "chofu"},
	{"町田市", "132098", "町田", "machida"},
	{"小金井市", "132101", "小金井", "koganei"},
	{"小平市", "132110", "小平", "kodaira"},
	{"日野市", "132128", "日野", "hino"},
	{"東村山市", "132136", "東村山", "higashimurayama"},
	{"国分寺市", "132144", "国分寺", "kokubunji"},
	{"国立市", "132152", "国立", "kunitachi"},
	{"福生市", "132187", "福生", "fussa"},
	{"狛江市", "132195", "狛江", "komae"},
	{"東大和市", "132209", "東大和", "higashiyamato"},
	{"清瀬市", "132217", "清瀬", "kiyose"},
	{"東久留米市", "132225", "東久留米", "higashikurume"},
	{"武蔵村山市", "132233", "武蔵村山", "musashimurayama"},
	{"多摩市", "132241", "多摩", "tama"},
	{"稲城市", "132250", "稲城", "inagi"},
	{"羽村市", "132276", "羽村", "hamura"},
	{"あきる野市", "132284", "あきる野", "akiruno"},
	{"西東京市", "132292", "西東京", "nishitokyo"},
	{"瑞穂町", "133035", "瑞穂", "mizuho"},
	{"日の出町", "133051", "日の出", "hinode"},
	{"檜原村", "133078", "檜原", "hinohara"},
	{"奥多摩町", "133086", "奥多摩", "okutama"},
	{"相模原市", "141500", "相模原", "sagamihara"},
	{"川崎市", "141305", "川崎", "kawasaki"},
}

// adjacency between municipalities that share a border (by name).
var adjacency = map[string][]string{
	"日野市":   {"八王子市", "昭島市", "立川市", "国立市", "府中市", "多摩市"},
	"八王子市":  {"日野市", "昭島市", "多摩市", "町田市", "あきる野市", "檜原村", "相模原市"},
	"立川市":   {"昭島市", "日野市", "国立市", "国分寺市", "小平市", "東大和市", "武蔵村山市", "福生市"},
	"府中市":   {"日野市", "国立市", "国分寺市", "小金井市", "三鷹市", "調布市", "多摩市", "稲城市"},
	"昭島市":   {"八王子市", "日野市", "立川市", "福生市", "武蔵村山市", "あきる野市"},
	"国立市":   {"立川市", "日野市", "府中市", "国分寺市"},
	"多摩市":   {"八王子市", "日野市", "府中市", "稲城市", "町田市", "川崎市"},
	"稲城市":   {"府中市", "多摩市", "調布市", "町田市", "川崎市"},
	"青梅市":   {"あきる野市", "羽村市", "日の出町", "奥多摩町", "瑞穂町"},
	"町田市":   {"八王子市", "多摩市", "稲城市", "相模原市", "川崎市"},
	"国分寺市":  {"立川市", "国立市", "府中市", "小金井市", "小平市"},
	"小金井市":  {"府中市", "国分寺市", "小平市", "武蔵野市", "三鷹市", "調布市", "西東京市"},
	"調布市":   {"府中市", "稲城市", "三鷹市", "小金井市", "狛江市"},
	"福生市":   {"昭島市", "立川市", "羽村市", "瑞穂町", "武蔵村山市", "あきる野市"},
	"あきる野市": {"八王子市", "昭島市", "福生市", "羽村市", "青梅市", "日の出町", "檜原村"},
	"羽村市":   {"青梅市", "福生市", "瑞穂町", "あきる野市"},
	"武蔵村山市": {"立川市", "昭島市", "福生市", "瑞穂町", "東大和市"},
	"東大和市":  {"立川市", "武蔵村山市", "東村山市", "小平市"},
	"小平市":   {"立川市", "国分寺市", "小金井市", "東大和市", "東村山市", "西東京市"},
}

var cityByKey = func() map[string]*cityInfo {
	m := map[string]*cityInfo{}
	for i := range cities {
		c := &cities[i]
		m[c.Name] = c
		m[c.Code] = c
		m[c.Code[:5]] = c // 5-digit code without check digit
		m[c.EN] = c
		m[c.Short] = c
	}
	return m
}()

// CityCode returns the 6-digit 全国地方公共団体コード for a city name in the
// engine's table (日野市 or 日野 or hino), or "".
func CityCode(name string) string {
	if c := lookupCity(name); c != nil {
		return c.Code
	}
	return ""
}

// CityName returns the city name for a name, short name or code in the
// engine's table, or "".
func CityName(key string) string {
	if c := lookupCity(key); c != nil {
		return c.Name
	}
	return ""
}

func lookupCity(key string) *cityInfo {
	key = strings.TrimSpace(key)
	if c := cityByKey[key]; c != nil {
		return c
	}
	k := strings.ToLower(key)
	k = strings.TrimSuffix(k, " city")
	k = strings.TrimSuffix(k, "-shi")
	if c := cityByKey[k]; c != nil {
		return c
	}
	return nil
}

// NeighbourFunc says whether two cities (names) are neighbours. Engine
// options may replace the built-in table (Options.Neighbours).
type NeighbourFunc func(a, b string) bool

// DefaultNeighbours uses the built-in adjacency table.
func DefaultNeighbours(a, b string) bool {
	if a == b {
		return false
	}
	for _, n := range adjacency[a] {
		if n == b {
			return true
		}
	}
	for _, n := range adjacency[b] {
		if n == a {
			return true
		}
	}
	return false
}

// regions of the Tama area, as buyers name them (南多摩の会社, Tama area).
var regions = map[string][]string{
	"南多摩": {"八王子市", "町田市", "日野市", "多摩市", "稲城市"},
	"北多摩": {"立川市", "武蔵野市", "三鷹市", "府中市", "昭島市", "調布市", "小金井市", "小平市", "東村山市", "国分寺市", "国立市", "狛江市",
		"東大和市", "清瀬市", "東久留米市", "武蔵村山市", "西東京市"},
	"西多摩": {"青梅市", "福生市", "羽村市", "あきる野市", "瑞穂町", "日の出町", "檜原村", "奥多摩町"},
}

var regionAliases = map[string]string{
	"南多摩地域": "南多摩", "北多摩地域": "北多摩", "西多摩地域": "西多摩", "south tama": "南多摩", "north tama": "北多摩", "west tama": "西多摩",
	"多摩地域": "*", "多摩地区": "*", "多摩エリア": "*", "三多摩": "*", "多摩全域": "*", "多摩地方": "*", "tama area": "*", "tama region": "*",
}

// regionCities lists the cities of a region name, or nil.
func regionCities(name string) []string {
	key := name
	if a, ok := regionAliases[name]; ok {
		key = a
	}
	if key == "*" {
		var all []string
		for _, r := range []string{"南多摩", "北多摩", "西多摩"} {
			all = append(all, regions[r]...)
		}
		return all
	}
	return regions[key]
}
