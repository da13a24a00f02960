// Package jp holds the Japanese conventions that the rest of mieruka relies on:
// 法人番号 (corporate numbers), 全国地方公共団体コード (local government codes),
// 和暦 and 年度 (era dates and fiscal years), width- and kana-insensitive search
// keys, 五十音 sort keys, readings, postal codes, addresses and the 日本標準産業分類
// (JSIC) table.
//
// The package has no state beyond read-only tables built on first use, needs no
// time zone database (see JST) and depends only on the standard library and
// golang.org/x/text. Validation failures are *Error values that carry both a
// Japanese and an English message, so that the web and API layers can show
// field-level messages in either language without a translation table of their
// own.
package jp
