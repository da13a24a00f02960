// Package nta reads the National Tax Agency's corporate-number bulk files
// (法人番号公表サイト 全件データ / 差分データ, CSV, Unicode or Shift_JIS edition,
// plain or zipped) into the corporations reference table, looks corporations
// up for staff, and keeps the registry's organizations that carry a 法人番号 in
// step with it.
package nta

import (
	"fmt"
	"strconv"
	"strings"

	"mieruka/internal/jp"
)

// Columns is the number of fields of a bulk-file row.
const Columns = 30

// Record is one row of the bulk file, fields as written (dates YYYY-MM-DD).
type Record struct {
	SequenceNumber           int64  `json:"sequence_number"`
	CorporateNumber          string `json:"corporate_number"`
	Process                  string `json:"process"`
	Correct                  string `json:"correct"`
	UpdateDate               string `json:"update_date"`
	ChangeDate               string `json:"change_date"`
	Name                     string `json:"name"`
	NameImageID              string `json:"name_image_id,omitempty"`
	Kind                     string `json:"kind"`
	PrefectureName           string `json:"prefecture_name"`
	CityName                 string `json:"city_name"`
	StreetNumber             string `json:"street_number"`
	AddressImageID           string `json:"address_image_id,omitempty"`
	PrefectureCode           string `json:"prefecture_code"`
	CityCode                 string `json:"city_code"`
	PostCode                 string `json:"post_code"`
	AddressOutside           string `json:"address_outside,omitempty"`
	AddressOutsideImageID    string `json:"address_outside_image_id,omitempty"`
	CloseDate                string `json:"close_date,omitempty"`
	CloseCause               string `json:"close_cause,omitempty"`
	SuccessorCorporateNumber string `json:"successor_corporate_number,omitempty"`
	ChangeCause              string `json:"change_cause,omitempty"`
	AssignmentDate           string `json:"assignment_date"`
	Latest                   string `json:"latest"`
	EnName                   string `json:"en_name,omitempty"`
	EnPrefectureName         string `json:"en_prefecture_name,omitempty"`
	EnCityName               string `json:"en_city_name,omitempty"`
	EnAddressOutside         string `json:"en_address_outside,omitempty"`
	Furigana                 string `json:"furigana,omitempty"`
	Hihyoji                  string `json:"hihyoji"`

	fields  string // the row as stored: the 30 fields joined by U+001F
	nameKey string
}

// fieldSep joins a row's fields in the corporations table; the NTA data never
// contains control characters.
const fieldSep = "\x1f"

func recordFromFields(f []string) Record {
	seq, _ := strconv.ParseInt(f[0], 10, 64)
	return Record{
		SequenceNumber: seq, CorporateNumber: f[1], Process: f[2], Correct: f[3], UpdateDate: f[4], ChangeDate: f[5],
		Name: f[6], NameImageID: f[7], Kind: f[8], PrefectureName: f[9], CityName: f[10], StreetNumber: f[11],
		AddressImageID: f[12], PrefectureCode: f[13], CityCode: f[14], PostCode: f[15], AddressOutside: f[16],
		AddressOutsideImageID: f[17], CloseDate: f[18], CloseCause: f[19], SuccessorCorporateNumber: f[20],
		ChangeCause: f[21], AssignmentDate: f[22], Latest: f[23], EnName: f[24], EnPrefectureName: f[25],
		EnCityName: f[26], EnAddressOutside: f[27], Furigana: f[28], Hihyoji: f[29],
	}
}

// RowError is a bad row: its line in the file and what is wrong.
type RowError struct {
	Line int    `json:"line"`
	JA   string `json:"ja"`
	EN   string `json:"en"`
}

// ParseRecord checks and converts the 30 fields of one row.
func ParseRecord(f []string) (Record, *RowError) {
	if len(f) != Columns {
		return Record{}, &RowError{JA: fmt.Sprintf("列の数が%dです（30列必要）", len(f)), EN: fmt.Sprintf("the row has %d columns, 30 expected", len(f))}
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	if _, err := strconv.ParseInt(f[0], 10, 64); err != nil {
		return Record{}, &RowError{JA: "一連番号が数字ではありません", EN: "the sequence number is not a number"}
	}
	r := recordFromFields(f)
	if err := jp.ValidateCorporateNumber(r.CorporateNumber); err != nil {
		return r, &RowError{JA: "法人番号: " + err.Error(), EN: "corporate number: " + err.(*jp.Error).EN}
	}
	if r.Name == "" && r.NameImageID == "" {
		return r, &RowError{JA: "商号又は名称が空です", EN: "the name is empty"}
	}
	if !validProcess[r.Process] {
		return r, &RowError{JA: "処理区分「" + r.Process + "」は定義されていません", EN: "unknown process code " + strconv.Quote(r.Process)}
	}
	for _, d := range []struct{ v, ja, en string }{
		{r.UpdateDate, "更新年月日", "update date"}, {r.ChangeDate, "変更年月日", "change date"},
		{r.CloseDate, "閉鎖等年月日", "close date"}, {r.AssignmentDate, "法人番号指定年月日", "assignment date"},
	} {
		if d.v != "" && !isDate(d.v) {
			return r, &RowError{JA: d.ja + "「" + d.v + "」が YYYY-MM-DD ではありません", EN: d.en + " " + strconv.Quote(d.v) + " is not YYYY-MM-DD"}
		}
	}
	if r.SuccessorCorporateNumber != "" {
		if err := jp.ValidateCorporateNumber(r.SuccessorCorporateNumber); err != nil {
			return r, &RowError{JA: "承継先法人番号: " + err.Error(), EN: "successor corporate number: " + err.(*jp.Error).EN}
		}
	}
	r.fields = strings.Join(f, fieldSep)
	if strings.Count(r.fields, fieldSep) != Columns-1 || strings.IndexByte(r.fields, 0) >= 0 {
		return r, &RowError{JA: "制御文字が含まれています", EN: "the row contains control characters"}
	}
	r.nameKey = NameKey(r.Name)
	return r, nil
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

var validProcess = map[string]bool{"01": true, "11": true, "12": true, "13": true, "21": true, "22": true, "71": true, "72": true, "81": true, "99": true}

// ProcessLabel names a 処理区分.
func ProcessLabel(code, lang string) string {
	ja := map[string]string{"01": "新規", "11": "商号又は名称の変更", "12": "国内所在地の変更", "13": "国外所在地の変更", "21": "登記記録の閉鎖等", "22": "登記記録の復活等", "71": "吸収合併", "72": "吸収合併無効", "81": "商号の登記の抹消", "99": "削除"}
	en := map[string]string{"01": "new", "11": "name changed", "12": "address changed", "13": "overseas address changed", "21": "registration closed", "22": "registration restored", "71": "absorbed by merger", "72": "merger annulled", "81": "trade name deleted", "99": "deleted"}
	if lang == "en" {
		return en[code]
	}
	return ja[code]
}

// KindLabel names a 法人種別.
func KindLabel(code string) string {
	return map[string]string{"101": "国の機関", "201": "地方公共団体", "301": "株式会社", "302": "有限会社", "303": "合名会社", "304": "合資会社", "305": "合同会社", "399": "その他の設立登記法人", "401": "外国会社等", "499": "その他"}[code]
}

// CloseCauseLabel names a 閉鎖等の事由.
func CloseCauseLabel(code, lang string) string {
	ja := map[string]string{"01": "清算の結了等", "11": "合併による解散等", "21": "登記官による閉鎖", "31": "その他の清算の結了等"}
	en := map[string]string{"01": "liquidation completed", "11": "dissolved by merger", "21": "closed by the registrar", "31": "other liquidation completed"}
	if lang == "en" {
		return en[code]
	}
	return ja[code]
}

// NameKey is the folded name without its legal form, used to look names up.
func NameKey(name string) string { return jp.Fold(jp.StripLegalForm(name)) }

// Closed reports whether the record says the corporation no longer exists.
func (r Record) Closed() bool {
	return r.CloseDate != "" || r.Process == "21" || r.Process == "71" || r.Process == "99"
}

// PostalCode is the post code as NNN-NNNN, or "".
func (r Record) PostalCode() string {
	if pc, err := jp.NormalizePostalCode(r.PostCode); err == nil {
		return pc
	}
	return ""
}

// LocalGovCode is the 全国地方公共団体コード of the corporation's address, or "".
func (r Record) LocalGovCode() string {
	code, err := jp.LocalGovCodeFromNTA(r.PrefectureCode, r.CityCode)
	if err != nil {
		return ""
	}
	return code
}
