package jp

import (
	"strings"
	"unicode/utf8"
)

// 全国地方公共団体コード (local government code): a 2-digit prefecture code, a
// 3-digit municipality code and a check digit. For d₁…d₅ the check digit is
// (11 − (6d₁+5d₂+4d₃+3d₄+2d₅) mod 11) mod 10, so a remainder of 1 gives 0 and a
// remainder of 0 gives 1 (総務省「全国地方公共団体コード仕様」). A prefecture
// itself has municipality part 000 (東京都 = 130001).

var (
	ErrLocalGovCodeLength = newError(
		"地方公共団体コードは6桁で入力してください",
		"The local government code must have 6 digits")
	ErrLocalGovCodeDigits = newError(
		"地方公共団体コードは半角数字で入力してください",
		"The local government code must consist of digits only")
	ErrLocalGovCodeCheckDigit = newError(
		"地方公共団体コードのチェックデジットが正しくありません",
		"The check digit of the local government code is wrong")
	ErrLocalGovCodePrefecture = newError(
		"地方公共団体コードの都道府県部分（先頭2桁）は01～47です",
		"The prefecture part (first two digits) of a local government code must be 01–47")
)

// LocalGovCheckDigit returns the check digit for a 5-digit code (prefecture
// and municipality parts) given as ASCII digits.
func LocalGovCheckDigit(code5 string) (int, error) {
	if utf8.RuneCountInString(code5) != 5 {
		return 0, ErrLocalGovCodeLength.detail(
			"チェックデジットを計算するには5桁のコードが必要です",
			"The check digit is computed from a 5-digit code")
	}
	if !isASCIIDigits(code5) {
		return 0, ErrLocalGovCodeDigits
	}
	sum := 0
	for i := 0; i < 5; i++ {
		sum += int(code5[i]-'0') * (6 - i)
	}
	return (11 - sum%11) % 10, nil
}

// ValidateLocalGovCode checks a 6-digit 全国地方公共団体コード given as ASCII
// digits. Besides the check digit it insists on a prefecture part 01–47,
// which the check digit alone does not catch.
func ValidateLocalGovCode(s string) error {
	if utf8.RuneCountInString(s) != 6 {
		return ErrLocalGovCodeLength
	}
	if !isASCIIDigits(s) {
		return ErrLocalGovCodeDigits
	}
	if p := (s[0]-'0')*10 + s[1] - '0'; p < 1 || p > 47 {
		return ErrLocalGovCodePrefecture
	}
	want, _ := LocalGovCheckDigit(s[:5])
	if int(s[5]-'0') != want {
		return ErrLocalGovCodeCheckDigit
	}
	return nil
}

// LocalGovCodeFromNTA builds the 6-digit code from the two columns of the
// National Tax Agency's 法人番号 file: prefectureCode ("13") and the 3-digit
// cityCode ("212"), giving "132128" for 日野市. A one-digit prefecture code
// ("1" for 北海道) is accepted, as spreadsheets tend to drop the zero.
func LocalGovCodeFromNTA(prefectureCode, cityCode3 string) (string, error) {
	p, c := strings.TrimSpace(prefectureCode), strings.TrimSpace(cityCode3)
	if len(p) == 1 {
		p = "0" + p
	}
	if len(p) != 2 || len(c) != 3 {
		return "", ErrLocalGovCodeLength.detail(
			"都道府県コードは2桁、市区町村コードは3桁です",
			"The prefecture code has 2 digits and the city code 3")
	}
	code5 := p + c
	d, err := LocalGovCheckDigit(code5)
	if err != nil {
		return "", err
	}
	code := code5 + string(rune('0'+d))
	if err := ValidateLocalGovCode(code); err != nil {
		return "", err
	}
	return code, nil
}
