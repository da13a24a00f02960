package app

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of mieruka, in one place. Each field is set, in
// order of precedence, by its command-line flag, its MIERUKA_* environment
// variable, or its default.
type Config struct {
	Addr         string        `flag:"addr" env:"MIERUKA_ADDR" default:"localhost:8080" help:"address to listen on (host:port)"`
	DataDir      string        `flag:"data" env:"MIERUKA_DATA" default:"data" help:"data directory: the SQLite database, the mail outbox, uploads"`
	DatabaseURL  string        `flag:"database-url" env:"MIERUKA_DATABASE_URL" help:"PostgreSQL URL (postgres://user:pass@host/db); empty: the embedded SQLite database in the data directory"`
	BaseURL      string        `flag:"base-url" env:"MIERUKA_BASE_URL" help:"public URL of this server, for links in mail, QR codes and sitemaps (default: http://ADDR)"`
	Municipality string        `flag:"municipality" env:"MIERUKA_MUNICIPALITY" default:"132128" help:"全国地方公共団体コード of the default municipality: the one unqualified URLs show"`
	SMTPURL      string        `flag:"smtp-url" env:"MIERUKA_SMTP_URL" help:"mail server: smtp://user:pass@host:587 or smtps://…:465; empty: mail is written to DATA/outbox as .eml files"`
	MailFrom     string        `flag:"mail-from" env:"MIERUKA_MAIL_FROM" default:"mieruka <no-reply@localhost>" help:"From: address of the mail mieruka sends"`
	Workers      int           `flag:"workers" env:"MIERUKA_WORKERS" default:"2" help:"background job workers in this instance"`
	LogFormat    string        `flag:"log-format" env:"MIERUKA_LOG_FORMAT" default:"text" help:"log format: text or json"`
	LogLevel     string        `flag:"log-level" env:"MIERUKA_LOG_LEVEL" default:"info" help:"log level: debug, info, warn, error"`
	Secret       string        `flag:"secret" env:"MIERUKA_SECRET" help:"key that signs form tokens; set the same value on every instance behind one load balancer (default: a random key kept in DATA/secret.key)"`
	TrustProxy   bool          `flag:"trust-proxy" env:"MIERUKA_TRUST_PROXY" help:"trust X-Forwarded-For and X-Forwarded-Proto from a reverse proxy"`
	ShutdownWait time.Duration `flag:"shutdown-wait" env:"MIERUKA_SHUTDOWN_WAIT" default:"10s" help:"how long to let requests and jobs finish at shutdown"`
	Demo         bool          `flag:"demo" env:"MIERUKA_DEMO" help:"load the demo city (日野市 and 八王子市) on first start, print demo sign-ins, and never send mail"`
}

// flagSet gives every field its environment or default value, and binds
// the fields named in names (all when names is nil) to flags of fs.
func (c *Config) flagSet(fs *flag.FlagSet, names ...string) {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("flag")
		raw := f.Tag.Get("default")
		if e, ok := os.LookupEnv(f.Tag.Get("env")); ok {
			raw = e
		}
		help := f.Tag.Get("help") + " [$" + f.Tag.Get("env") + "]"
		bind := len(names) == 0 || want[name]
		switch p := v.Field(i).Addr().Interface().(type) {
		case *string:
			*p = raw
			if bind {
				fs.StringVar(p, name, raw, help)
			}
		case *int:
			*p, _ = strconv.Atoi(raw)
			if bind {
				fs.IntVar(p, name, *p, help)
			}
		case *bool:
			*p, _ = strconv.ParseBool(raw)
			if bind {
				fs.BoolVar(p, name, *p, help)
			}
		case *time.Duration:
			*p, _ = time.ParseDuration(raw)
			if bind {
				fs.DurationVar(p, name, *p, help)
			}
		default:
			panic(fmt.Sprintf("config field %s: unsupported type", f.Name))
		}
	}
}

// check validates the configuration after parsing.
func (c *Config) check() error {
	var problems []string
	if c.Addr == "" {
		problems = append(problems, "--addr is empty")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		problems = append(problems, "MIERUKA_DATABASE_URL must start with postgres://")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		problems = append(problems, "--log-format must be text or json")
	}
	if c.Workers < 0 || c.Workers > 64 {
		problems = append(problems, "--workers must be between 0 and 64")
	}
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	return nil
}
