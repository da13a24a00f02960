// Command web benchmarks the public site under load: mieruka with 10,000
// organizations in SQLite, wrk -c64 against the home page, a company page and
// the search page with a query and two facets — side by side with nginx
// serving saved copies of the same HTML in the same run.
//
//	go run ./bench/web [-orgs 10000] [-duration 10s] [-connections 64]
//
// Needs Debian's wrk and nginx (scripts/test does not install them;
// apt-get install wrk nginx-light).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"mieruka/internal/demo"
)

func main() {
	orgs := flag.Int("orgs", 10000, "organizations in the database")
	duration := flag.Duration("duration", 10*time.Second, "wrk duration per page")
	conns := flag.Int("connections", 64, "wrk connections")
	keep := flag.String("keep", "", "copy the generated data directory here (to profile or explore the same data)")
	flag.Parse()
	for _, tool := range []string{"wrk", "nginx"} {
		if _, err := exec.LookPath(tool); err != nil {
			log.Fatalf("%s is missing: apt-get install wrk nginx-light", tool)
		}
	}
	tmp, err := os.MkdirTemp("", "mieruka-webbench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "mieruka")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/mieruka").CombinedOutput(); err != nil {
		log.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(tmp, "data")
	file := filepath.Join(tmp, "orgs.jsonl")
	writeOrgs(file, *orgs)
	start := time.Now()
	if out, err := exec.Command(bin, "import", "orgs", file, "--data", data, "--log-level", "warn").CombinedOutput(); err != nil {
		log.Fatalf("import: %v\n%s", err, out)
	}
	fmt.Printf("%d organizations imported into SQLite in %.1f s\n", *orgs, time.Since(start).Seconds())
	if *keep != "" {
		if out, err := exec.Command("cp", "-r", data, *keep).CombinedOutput(); err != nil {
			log.Fatalf("keep: %v\n%s", err, out)
		}
	}

	port := freePort()
	srv := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:"+port, "--workers", "0", "--log-level", "warn", "--base-url", "http://127.0.0.1:"+port)
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		log.Fatal(err)
	}
	defer srv.Process.Kill()
	base := "http://127.0.0.1:" + port
	waitFor(base + "/healthz")

	home := get(base + "/")
	id := regexp.MustCompile(`href="/companies/(\d+)"`).FindStringSubmatch(string(home))
	if id == nil {
		log.Fatal("no company on the home page")
	}
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"company page", "/companies/" + id[1]},
		{"search + 2 facets", "/search?q=" + url.QueryEscape("ステンレス 精密") + "&process=" + url.QueryEscape("切削加工") + "&certification=ISO9001"},
	}
	// The same search with a parameter that changes at every request: each
	// one misses the page cache and runs the engine and the template.
	missScript := filepath.Join(tmp, "miss.lua")
	os.WriteFile(missScript, []byte(`init = function(args) math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16)) end
request = function() return wrk.format(nil, wrk.path .. "&n=" .. math.random(1, 2000000000)) end
`), 0o644)
	// nginx serves the same HTML, saved.
	static := filepath.Join(tmp, "static")
	for i, p := range pages {
		os.MkdirAll(static, 0o755)
		os.WriteFile(filepath.Join(static, fmt.Sprintf("p%d.html", i)), get(base+p.path), 0o644)
	}
	nport := freePort()
	conf := filepath.Join(tmp, "nginx.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf(`worker_processes 2;
daemon off;
user root;
error_log %s/nginx-error.log;
pid %s/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path %s; proxy_temp_path %s; fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;
  server { listen 127.0.0.1:%s; root %s; default_type text/html; }
}
`, tmp, tmp, tmp, tmp, tmp, tmp, tmp, nport, static)), 0o644)
	ng := exec.Command("nginx", "-c", conf, "-p", tmp)
	ng.Stderr = os.Stderr
	if err := ng.Start(); err != nil {
		log.Fatal(err)
	}
	defer ng.Process.Kill()
	waitFor("http://127.0.0.1:" + nport + "/p0.html")

	fmt.Printf("\nwrk -t2 -c%d -d%s (2 cores shared by the server and wrk)\n\n", *conns, *duration)
	fmt.Printf("%-20s %8s | %12s %10s | %12s %10s | %s\n", "page", "size", "mieruka r/s", "p99", "nginx r/s", "p99", "mieruka/nginx")
	for i, p := range pages {
		size := len(get(base + p.path))
		mr, mp := wrk(base+p.path, *conns, *duration, "")
		nr, np := wrk(fmt.Sprintf("http://127.0.0.1:%s/p%d.html", nport, i), *conns, *duration, "")
		fmt.Printf("%-20s %7dK | %12.0f %10s | %12.0f %10s | %.2f\n", p.name, size/1024, mr, mp, nr, np, mr/nr)
		if i == len(pages)-1 {
			mr, mp := wrk(base+p.path, *conns, *duration, missScript)
			fmt.Printf("%-20s %7dK | %12.0f %10s | %12s %10s | %.2f\n", "  … never cached", size/1024, mr, mp, "", "", mr/nr)
		}
	}
}

// wrk runs wrk (with a Lua script, if given) and returns requests/s and the 99th percentile latency.
func wrk(u string, conns int, d time.Duration, script string) (float64, string) {
	args := []string{"-t2", fmt.Sprintf("-c%d", conns), "-d" + d.String(), "--latency"}
	if script != "" {
		args = append(args, "-s", script)
	}
	out, err := exec.Command("wrk", append(args, u)...).CombinedOutput()
	if err != nil {
		log.Fatalf("wrk %s: %v\n%s", u, err, out)
	}
	var rps float64
	p99 := "?"
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "Requests/sec:" {
			rps, _ = strconv.ParseFloat(f[1], 64)
		}
		if len(f) >= 2 && f[0] == "99%" {
			p99 = f[1]
		}
		if strings.Contains(sc.Text(), "Non-2xx") {
			log.Fatalf("wrk %s: %s", u, sc.Text())
		}
	}
	return rps, p99
}

func get(u string) []byte {
	resp, err := http.Get(u)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		log.Fatalf("%s: %d", u, resp.StatusCode)
	}
	return b
}

func waitFor(u string) {
	for i := 0; i < 600; i++ {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	log.Fatalf("%s did not come up", u)
}

func freePort() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// writeOrgs writes n published organizations as JSON Lines, variations of
// the demo companies and labs.
func writeOrgs(path string, n int) {
	base, err := demo.Organizations()
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < n; i++ {
		src := base[i%len(base)]
		p := src.Profile
		if i >= len(base) {
			p.Name = fmt.Sprintf("%s 第%d事業所", p.Name, i/len(base)+1)
			p.CorporateNumber = ""
		}
		b, _ := json.Marshal(map[string]any{"external_id": fmt.Sprintf("B%05d", i), "kind": src.Kind, "published": true, "profile": p})
		w.Write(b)
		w.WriteByte('\n')
	}
	w.Flush()
	f.Close()
}
