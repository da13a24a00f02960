package jp

import (
	"strings"
	"testing"
	"unicode"
)

func TestSplitAddress(t *testing.T) {
	tests := []struct{ in, pref, city, rest string }{
		{"東京都日野市旭が丘3-12-5", "東京都", "日野市", "旭が丘3-12-5"},
		{"東京都八王子市高倉町982番地", "東京都", "八王子市", "高倉町982番地"},
		{"神奈川県相模原市中央区中央2-11-15", "神奈川県", "相模原市中央区", "中央2-11-15"},
		{"北海道札幌市中央区北1条西2丁目", "北海道", "札幌市中央区", "北1条西2丁目"},
		{"京都府京都市中京区寺町通御池上る上本能寺前町488", "京都府", "京都市中京区", "寺町通御池上る上本能寺前町488"},
		{"大阪府大阪市北区中之島1-3-20", "大阪府", "大阪市北区", "中之島1-3-20"},
		{"福岡県北九州市小倉北区城内1-1", "福岡県", "北九州市小倉北区", "城内1-1"},
		{"大阪府堺市堺区南瓦町3-1", "大阪府", "堺市堺区", "南瓦町3-1"},
		{"東京都西多摩郡瑞穂町大字箱根ケ崎2335", "東京都", "西多摩郡瑞穂町", "大字箱根ケ崎2335"},
		{"東京都西多摩郡檜原村467-1", "東京都", "西多摩郡檜原村", "467-1"},
		{"東京都千代田区丸の内1-1-1", "東京都", "千代田区", "丸の内1-1-1"},
		{"東京都北区王子本町1-15-22", "東京都", "北区", "王子本町1-15-22"},
		{"東京都大島町元町1-1-14", "東京都", "大島町", "元町1-1-14"},
		{"東京都あきる野市二宮350", "東京都", "あきる野市", "二宮350"},
		{"東京都武蔵村山市本町1-1-1", "東京都", "武蔵村山市", "本町1-1-1"},
		{"三重県四日市市諏訪町1-5", "三重県", "四日市市", "諏訪町1-5"},
		{"千葉県市川市八幡1-1-1", "千葉県", "市川市", "八幡1-1-1"},
		{"福島県郡山市朝日1-23-7", "福島県", "郡山市", "朝日1-23-7"},
		{"北海道余市郡余市町朝日町4", "北海道", "余市郡余市町", "朝日町4"},
		{"宮城県柴田郡村田町大字村田字迫85", "宮城県", "柴田郡村田町", "大字村田字迫85"},
		{"北海道茅部郡森町字御幸町144-1", "北海道", "茅部郡森町", "字御幸町144-1"},
		{"日野市神明1-12-1", "", "日野市", "神明1-12-1"},
		{" 東京都 日野市 旭が丘3-12-5 ", "東京都", "日野市", "旭が丘3-12-5"},
		{"東京都", "東京都", "", ""},
		{"旭が丘3-12-5", "", "", "旭が丘3-12-5"},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		p, c, r := SplitAddress(tt.in)
		if p != tt.pref || c != tt.city || r != tt.rest {
			t.Errorf("SplitAddress(%q) = %q, %q, %q; want %q, %q, %q", tt.in, p, c, r, tt.pref, tt.city, tt.rest)
		}
	}
	if len(Prefectures()) != 47 || Prefectures()[12] != "東京都" {
		t.Error("Prefectures() is not in 都道府県コード order")
	}
}

func FuzzSplitAddress(f *testing.F) {
	for _, s := range []string{"東京都日野市旭が丘3-12-5", "神奈川県相模原市中央区中央2-11-15", "東京都西多摩郡瑞穂町箱根ケ崎", "余市郡", "\xff東京都", "市市市"} {
		f.Add(s)
	}
	noSpace := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, c, r := SplitAddress(s)
		if noSpace(p+c+r) != noSpace(validUTF8(s)) {
			t.Fatalf("SplitAddress(%q) = %q, %q, %q loses text", s, p, c, r)
		}
		if strings.TrimSpace(c) != c || strings.TrimSpace(r) != r {
			t.Fatalf("SplitAddress(%q) = %q, %q, %q: untrimmed parts", s, p, c, r)
		}
		if p2, c2, r2 := SplitAddress(p + c + r); p2 != p || c2 != c || r2 != r {
			t.Fatalf("SplitAddress not stable on %q: %q|%q|%q vs %q|%q|%q", s, p, c, r, p2, c2, r2)
		}
	})
}

func TestPrefectureOfCode(t *testing.T) {
	for code, want := range map[string]string{"132128": "東京都", "012050": "北海道", "472018": "沖縄県", "482018": "", "": "", "x1": ""} {
		if got := PrefectureOfCode(code); got != want {
			t.Errorf("PrefectureOfCode(%q) = %q, want %q", code, got, want)
		}
	}
}
