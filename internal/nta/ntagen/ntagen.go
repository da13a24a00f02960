// Package ntagen writes synthetic National Tax Agency corporate-number bulk
// files (the 30-column CSV of the Unicode edition) for tests, benchmarks and
// the demo city's reference table of corporations.
// The names, addresses and numbers are made up; the layout and the value
// ranges follow the published specification.
package ntagen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"mieruka/internal/jp"
)

var (
	nameHeads = []string{"日野", "多摩", "浅川", "高幡", "程久保", "平山", "豊田", "万願寺", "八王子", "立川", "府中", "昭島", "青梅", "国立", "東京", "武蔵", "みなみ野", "旭が丘", "富士", "大和"}
	nameKana  = []string{"ヒノ", "タマ", "アサカワ", "タカハタ", "ホドクボ", "ヒラヤマ", "トヨダ", "マンガンジ", "ハチオウジ", "タチカワ", "フチュウ", "アキシマ", "オウメ", "クニタチ", "トウキョウ", "ムサシ", "ミナミノ", "アサヒガオカ", "フジ", "ヤマト"}
	nameTails = []string{"精工", "製作所", "工業", "技研", "テクノ", "電機", "化成", "金属", "産業", "商事", "精密", "機械", "鉄工所", "ソリューションズ", "システム"}
	tailKana  = []string{"セイコウ", "セイサクショ", "コウギョウ", "ギケン", "テクノ", "デンキ", "カセイ", "キンゾク", "サンギョウ", "ショウジ", "セイミツ", "キカイ", "テッコウショ", "ソリューションズ", "システム"}
	forms     = []struct{ name, kind string }{{"株式会社", "301"}, {"有限会社", "302"}, {"合同会社", "305"}, {"合資会社", "304"}, {"一般社団法人", "399"}}
	places    = []struct{ pref, prefCode, city, cityCode, en string }{
		{"東京都", "13", "日野市", "212", "Hino-shi"}, {"東京都", "13", "八王子市", "201", "Hachioji-shi"}, {"東京都", "13", "立川市", "202", "Tachikawa-shi"},
		{"東京都", "13", "府中市", "206", "Fuchu-shi"}, {"東京都", "13", "昭島市", "207", "Akishima-shi"}, {"東京都", "13", "町田市", "209", "Machida-shi"},
		{"東京都", "13", "千代田区", "101", "Chiyoda-ku"}, {"神奈川県", "14", "相模原市中央区", "152", "Sagamihara-shi Chuo-ku"}, {"埼玉県", "11", "所沢市", "208", "Tokorozawa-shi"},
	}
	towns = []string{"旭が丘", "多摩平", "日野本町", "万願寺", "豊田", "平山", "東町", "栄町", "南平", "程久保"}
)

// Options shape the generated file.
type Options struct {
	Seed uint64
	// BadEvery, when > 0, makes every n-th row bad (wrong check digit, too
	// few columns, a bad date) for tests of error reporting.
	BadEvery int
	// StartNumber offsets the base numbers, so two files can overlap or not.
	StartNumber int64
}

// CorporateNumber returns a valid 法人番号 for the 12-digit base n.
func CorporateNumber(n int64) string {
	base := fmt.Sprintf("%012d", n)
	cd, err := jp.CorporateNumberCheckDigit(base)
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("%d%s", cd, base)
}

// Write writes n rows to w.
func Write(w io.Writer, n int, o Options) error {
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<20)
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.Reset()
		h := rng.IntN(len(nameHeads))
		t := rng.IntN(len(nameTails))
		f := forms[rng.IntN(len(forms))]
		pl := places[rng.IntN(len(places))]
		base := o.StartNumber + 10000000 + int64(i)*7
		number := CorporateNumber(base)
		name := nameHeads[h] + nameTails[t]
		if rng.IntN(2) == 0 {
			name = f.name + name
		} else {
			name += f.name
		}
		if rng.IntN(4) == 0 {
			name += fmt.Sprintf("%d", rng.IntN(1000))
		}
		furigana := nameKana[h] + tailKana[t]
		process, closeDate, closeCause, successor := "01", "", "", ""
		switch x := rng.IntN(100); {
		case x < 10:
			process = "12"
		case x < 15:
			process = "11"
		case x < 19:
			process, closeDate, closeCause = "21", date(rng, 2016, 2025), "01"
		case x < 21:
			process, closeDate, closeCause = "71", date(rng, 2016, 2025), "11"
			successor = CorporateNumber(o.StartNumber + 10000000 + int64(rng.IntN(n)+1)*7)
		}
		enName := ""
		if rng.IntN(10) == 0 {
			enName = "Example Co., Ltd."
		}
		street := fmt.Sprintf("%s%d丁目%d番%d号", towns[rng.IntN(len(towns))], rng.IntN(5)+1, rng.IntN(30)+1, rng.IntN(20)+1)
		post := fmt.Sprintf("%07d", 1000000+rng.IntN(8999999))
		assigned := date(rng, 2015, 2024)
		update := date(rng, 2016, 2025)
		fields := []string{
			fmt.Sprint(i), number, process, "0", update, update, name, "", f.kind,
			pl.pref, pl.city, street, "", pl.prefCode, pl.cityCode, post, "", "",
			closeDate, closeCause, successor, "", assigned, "1",
			enName, ifEN(enName, "Tokyo"), ifEN(enName, pl.en), "", furigana, "0",
		}
		if o.BadEvery > 0 && i%o.BadEvery == 0 {
			switch (i / o.BadEvery) % 3 {
			case 0:
				// a wrong check digit: d → d%9+1 always differs from d
				fields[1] = fmt.Sprintf("%d%s", (int(number[0]-'0')%9)+1, number[1:])
			case 1:
				fields = fields[:20]
			case 2:
				fields[4] = "2025/13/45"
			}
		}
		appendRow(&b, fields)
		if _, err := bw.WriteString(b.String()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteRow writes one row of the bulk file: the 30 fields, quoted where
// needed, ended by CRLF as the NTA writes them.
func WriteRow(w io.Writer, fields []string) error {
	var b strings.Builder
	appendRow(&b, fields)
	_, err := io.WriteString(w, b.String())
	return err
}

func appendRow(b *strings.Builder, fields []string) {
	for j, v := range fields {
		if j > 0 {
			b.WriteByte(',')
		}
		if strings.ContainsAny(v, ",\"\n") {
			b.WriteString(`"` + strings.ReplaceAll(v, `"`, `""`) + `"`)
		} else {
			b.WriteString(v)
		}
	}
	b.WriteString("\r\n")
}

func ifEN(en, v string) string {
	if en == "" {
		return ""
	}
	return v
}

func date(rng *rand.Rand, from, to int) string {
	return fmt.Sprintf("%04d-%02d-%02d", from+rng.IntN(to-from+1), rng.IntN(12)+1, rng.IntN(28)+1)
}
