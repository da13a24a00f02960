package jp

import "testing"

var benchNames = []string{"株式会社日野精工", "多摩製作所有限会社", "合同会社ホドクボテクノ123", "一般社団法人東京技研", "ｶﾌﾞｼｷｶﾞｲｼｬ", "Ａｂｃ株式会社"}

func BenchmarkFold(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Fold(benchNames[i%len(benchNames)])
	}
}

func BenchmarkStripLegalForm(b *testing.B) {
	for i := 0; i < b.N; i++ {
		StripLegalForm(benchNames[i%len(benchNames)])
	}
}
