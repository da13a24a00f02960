package jp

import (
	"errors"
	"testing"
)

// Official examples from the NTA (法人番号公表サイト) and formats.md.
var validCorporateNumbers = []string{
	"5180001008846", "1180301018771", "7000012050002", "4000012090001", "7123456789012",
}

func TestCorporateNumberCheckDigit(t *testing.T) {
	for _, n := range validCorporateNumbers {
		got, err := CorporateNumberCheckDigit(n[1:])
		if err != nil || got != int(n[0]-'0') {
			t.Errorf("CorporateNumberCheckDigit(%q) = %d, %v; want %c", n[1:], got, err, n[0])
		}
	}
	for _, bad := range []string{"", "12345678901", "1234567890123", "12345678901a", "１２３４５６７８９０１２"} {
		if _, err := CorporateNumberCheckDigit(bad); err == nil {
			t.Errorf("CorporateNumberCheckDigit(%q): want error", bad)
		}
	}
}

func TestValidateCorporateNumber(t *testing.T) {
	for _, n := range validCorporateNumbers {
		if err := ValidateCorporateNumber(n); err != nil {
			t.Errorf("ValidateCorporateNumber(%q) = %v", n, err)
		}
	}
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrCorporateNumberLength},
		{"518000100884", ErrCorporateNumberLength},
		{"51800010088460", ErrCorporateNumberLength},
		{"518000100884a", ErrCorporateNumberDigits},
		{"５１８０００１００８８４６", ErrCorporateNumberDigits}, // normalising is the caller's job
		{"518000100884-", ErrCorporateNumberDigits},
		{"6180001008846", ErrCorporateNumberCheckDigit},
		{"5180001008847", ErrCorporateNumberCheckDigit},
		{"0180001008846", ErrCorporateNumberCheckDigit}, // a check digit is never 0
	}
	for _, tt := range tests {
		if err := ValidateCorporateNumber(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ValidateCorporateNumber(%q) = %v; want %v", tt.in, err, tt.want)
		}
	}
}

func TestNormalizeCorporateNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"5180001008846", "5180001008846"},
		{"５１８０００１００８８４６", "5180001008846"},
		{" 5-1800-0100-8846 ", "5180001008846"},
		{"5180\u3000001\t008846", "5180001008846"},
		{"5－1800－0100－8846", "5180001008846"},
		{"5ー1800ー0100ー8846", "5180001008846"}, // IME long vowel mark typed as a hyphen
		{"T5180001008846", "5180001008846"},
		{"Ｔ５１８０００１００８８４６", "5180001008846"},
		{"T518000100884", "T518000100884"}, // not a registration number: left alone
		{"abc", "abc"},
	}
	for _, tt := range tests {
		if got := NormalizeCorporateNumber(tt.in); got != tt.want {
			t.Errorf("NormalizeCorporateNumber(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	err := ValidateCorporateNumber("5180001008847")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%T is not *Error", err)
	}
	if e.Error() != "法人番号のチェックデジットが正しくありません" || e.Text("en") != "The check digit of the corporate number is wrong" || e.Text("ja") != e.JA {
		t.Errorf("unexpected texts %q / %q", e.JA, e.EN)
	}
	_, err = CorporateNumberCheckDigit("1")
	if !errors.Is(err, ErrCorporateNumberLength) || err == ErrCorporateNumberLength {
		t.Errorf("detailed error %v should wrap ErrCorporateNumberLength", err)
	}
	if ErrCorporateNumberLength.Unwrap() != nil {
		t.Error("a sentinel must unwrap to nil")
	}
}

func FuzzValidateCorporateNumber(f *testing.F) {
	for _, n := range validCorporateNumbers {
		f.Add(n)
	}
	f.Add("５１８０-０００１-００８８４６")
	f.Add("T5180001008846")
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateCorporateNumber(s)
		if err == nil {
			if len(s) != 13 || !isASCIIDigits(s) {
				t.Fatalf("accepted %q", s)
			}
			// Changing any one digit must break the check digit: the weights
			// 1 and 2 are both prime to 9, so single-digit errors are caught
			// unless the digit changes by 9 (0↔9).
			for i := 0; i < 13; i++ {
				b := []byte(s)
				b[i] = '0' + (b[i]-'0'+1)%10
				if b[i] == '0' && s[i] == '9' || b[i] == '9' && s[i] == '0' {
					continue
				}
				if ValidateCorporateNumber(string(b)) == nil {
					t.Fatalf("%q and %q both valid", s, b)
				}
			}
		} else {
			var e *Error
			if !errors.As(err, &e) || e.JA == "" || e.EN == "" {
				t.Fatalf("error %v is not a bilingual *Error", err)
			}
		}
		n := NormalizeCorporateNumber(s)
		if NormalizeCorporateNumber(n) != n {
			t.Fatalf("NormalizeCorporateNumber not idempotent on %q", s)
		}
	})
}
