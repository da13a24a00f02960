// Command ntaimport benchmarks `mieruka import nta` on a generated National
// Tax Agency bulk file: into SQLite and PostgreSQL, beside the sqlite3 shell's
// own .import of the same file into a plain table as the reference.
//
//	go run ./bench/ntaimport [-rows 1000000] [-runs 3]
//
// It builds the mieruka binary, so the figures are the real command's:
// wall time, rows/s and peak RSS (from the kernel's rusage) per run, medians
// printed. PostgreSQL runs when MIERUKA_TEST_POSTGRES_URL is set or
// scripts/pg-start can start a server; sqlite3 when the shell is installed.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"mieruka/internal/nta/ntagen"
)

type result struct {
	wall time.Duration
	cpu  time.Duration // user + system
	rss  int64         // KiB
}

func main() {
	rows := flag.Int("rows", 1_000_000, "rows in the generated file")
	runs := flag.Int("runs", 3, "runs of each importer (medians are printed)")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "mieruka-ntabench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	file := filepath.Join(tmp, "00_zenkoku_all.csv")
	f, err := os.Create(file)
	if err != nil {
		log.Fatal(err)
	}
	if err := ntagen.Write(f, *rows, ntagen.Options{Seed: 1}); err != nil {
		log.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(file)
	fmt.Printf("file: %d rows, %.0f MB (the NTA layout, 30 columns, UTF-8)\n", *rows, float64(st.Size())/1e6)

	bin := filepath.Join(tmp, "mieruka")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/mieruka").CombinedOutput(); err != nil {
		log.Fatalf("build: %v\n%s", err, out)
	}

	results := map[string][]result{}
	order := []string{}
	add := func(name string, r result) {
		if _, ok := results[name]; !ok {
			order = append(order, name)
		}
		results[name] = append(results[name], r)
	}
	pgURL, stopPG := postgres()
	defer stopPG()
	for i := 0; i < *runs; i++ {
		dir := filepath.Join(tmp, fmt.Sprintf("sqlite-%d", i))
		add("mieruka → SQLite", run(exec.Command(bin, "import", "nta", file, "--no-sync", "--data", dir)))
		if pgURL != "" {
			dbURL := freshDatabase(pgURL, i)
			cmd := exec.Command(bin, "import", "nta", file, "--no-sync", "--data", filepath.Join(tmp, "pgdata"))
			cmd.Env = append(os.Environ(), "MIERUKA_DATABASE_URL="+dbURL)
			add("mieruka → PostgreSQL", run(cmd))
		}
		if sqlite3, err := exec.LookPath("sqlite3"); err == nil {
			ref := filepath.Join(tmp, fmt.Sprintf("ref-%d.db", i))
			cols := make([]string, 30)
			for j := range cols {
				cols[j] = fmt.Sprintf("c%d", j+1)
			}
			cmd := exec.Command(sqlite3, ref)
			cmd.Stdin = strings.NewReader(fmt.Sprintf("CREATE TABLE plain(%s);\n.mode csv\n.import %s plain\n", strings.Join(cols, ","), file))
			add("sqlite3 .import (plain table)", run(cmd))
		}
	}

	fmt.Printf("\n%-32s %10s %12s %10s %14s %10s\n", "importer (median of runs)", "wall", "rows/s", "CPU", "peak RSS", "vs sqlite3")
	ref := median(results["sqlite3 .import (plain table)"])
	for _, name := range order {
		m := median(results[name])
		ratio := "–"
		if ref.wall > 0 {
			ratio = fmt.Sprintf("%.2f×", m.wall.Seconds()/ref.wall.Seconds())
		}
		fmt.Printf("%-32s %9.2fs %12.0f %9.2fs %11.0f MB %10s\n", name, m.wall.Seconds(), float64(*rows)/m.wall.Seconds(), m.cpu.Seconds(), float64(m.rss)/1024, ratio)
	}
	fmt.Printf("\nall runs:\n")
	for _, name := range order {
		var s []string
		for _, r := range results[name] {
			s = append(s, fmt.Sprintf("%.2fs (cpu %.2fs) %.0fMB", r.wall.Seconds(), r.cpu.Seconds(), float64(r.rss)/1024))
		}
		fmt.Printf("  %-32s %s\n", name, strings.Join(s, "  "))
	}
}

func run(cmd *exec.Cmd) result {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return result{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss: ru.Maxrss}
}

func median(rs []result) result {
	if len(rs) == 0 {
		return result{}
	}
	w := append([]result(nil), rs...)
	sort.Slice(w, func(i, j int) bool { return w[i].wall < w[j].wall })
	m := w[len(w)/2]
	c := append([]result(nil), rs...)
	sort.Slice(c, func(i, j int) bool { return c[i].cpu < c[j].cpu })
	m.cpu = c[len(c)/2].cpu
	r := append([]result(nil), rs...)
	sort.Slice(r, func(i, j int) bool { return r[i].rss < r[j].rss })
	m.rss = r[len(r)/2].rss
	return m
}

// postgres returns the admin URL of a server to use, starting one with
// scripts/pg-start when none is given.
func postgres() (string, func()) {
	if u := os.Getenv("MIERUKA_TEST_POSTGRES_URL"); u != "" {
		return u, func() {}
	}
	out, err := exec.Command("scripts/pg-start").Output()
	if err != nil {
		fmt.Println("PostgreSQL: not measured (no MIERUKA_TEST_POSTGRES_URL, and scripts/pg-start failed)")
		return "", func() {}
	}
	var u, dir string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := strings.TrimPrefix(sc.Text(), "export ")
		k, v, _ := strings.Cut(line, "=")
		v = strings.Trim(v, "'")
		switch k {
		case "MIERUKA_TEST_POSTGRES_URL":
			u = v
		case "PGDIR":
			dir = v
		}
	}
	return u, func() { exec.Command("scripts/pg-stop", dir).Run() }
}

func freshDatabase(admin string, i int) string {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("mieruka_ntabench_%d_%d", os.Getpid(), i)
	if _, err := db.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}
