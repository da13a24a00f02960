package web

import (
	"strconv"
	"time"

	"mieruka/internal/jp"
)

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return def
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// now is the present, in Japan.
func (s *Server) now() time.Time { return time.Now().In(jp.JST) }
