// Command crmhook embeds revalign's scoring in a CRM integration: an HTTP
// endpoint the CRM calls with a lead record (a webhook) and whose answer it
// writes back on the lead — ICP score, tier and grid cell, MQL yes or no
// with the reasons, the routed owner and next action, and when the first
// touch is due under the SLA pact, in business hours of the lead's zone.
//
//	go run ./examples/crmhook -addr localhost:8080
//	curl -s -X POST --data @examples/crmhook/testdata/lead.json localhost:8080/leads
//
//	go run ./examples/crmhook -once -now 2026-11-27T16:30:00-06:00 < examples/crmhook/testdata/lead.json
//
// With -once it serves the one request it reads from stdin on a loopback
// port, prints the answer and exits (non-zero unless the answer is 200 OK).
// The configuration is the sample company's (examples/internal/fieldstone):
// ICP model 2026.4, the SLA pact, the demand-state map and its router.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // leads' time zones resolve on machines without zoneinfo

	"github.com/revalign/revalign/examples/internal/fieldstone"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	once := flag.Bool("once", false, "serve the one request read from stdin, print the answer and exit")
	at := flag.String("now", "", "decide as of this RFC 3339 instant instead of the clock (for demos and tests)")
	flag.Parse()

	now := time.Now
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			fmt.Fprintln(os.Stderr, "crmhook: -now:", err)
			os.Exit(2)
		}
		now = func() time.Time { return t }
	}
	h, err := sampleHandler(now)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crmhook:", err)
		os.Exit(1)
	}
	if *once {
		err = serveOnce(h, os.Stdin, os.Stdout)
	} else {
		err = serve(*addr, h)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "crmhook:", err)
		os.Exit(1)
	}
}

// sampleHandler builds the handler on the sample company's configuration,
// and warns when the model or the pact is not in force: scoring with an
// unsigned model is scoring with an opinion.
func sampleHandler(now func() time.Time) (*Handler, error) {
	var cfg Config
	var err error
	if cfg.ICP, err = fieldstone.RecalibratedICPModel(); err != nil {
		return nil, err
	}
	if cfg.Pact, err = fieldstone.Pact(); err != nil {
		return nil, err
	}
	if cfg.States, err = fieldstone.DemandStateModel(); err != nil {
		return nil, err
	}
	if cfg.Router, err = fieldstone.Router(); err != nil {
		return nil, err
	}
	if cfg.Rates, err = fieldstone.Rates(); err != nil {
		return nil, err
	}
	t := now()
	so, err := cfg.ICP.SignOff(t)
	if err != nil {
		return nil, err
	}
	if !so.InForce {
		slog.Warn("the ICP model is not in force", "model", cfg.ICP.Name+" "+cfg.ICP.Version, "reason", so.Reason(), "at", t)
	}
	if st := cfg.Pact.Standing(t); !st.InForce {
		slog.Warn("the SLA pact is not in force", "pact", cfg.Pact.Name, "reason", st.Reason, "at", t)
	}
	return NewHandler(cfg, now)
}

// serve listens on addr until interrupted, then drains the requests in
// flight.
func serve(addr string, h http.Handler) error {
	mux := http.NewServeMux()
	mux.Handle("/leads", h)
	srv := &http.Server{
		Addr: addr, Handler: mux,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, IdleTimeout: 60 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("crmhook listening", "url", "http://"+addr+"/leads")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// serveOnce serves one request read from in on a loopback port, as the CRM
// would send it, and copies the answer to out.
func serveOnce(h http.Handler, in io.Reader, out io.Writer) error {
	body, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }() // ErrServerClosed once Close is called
	defer srv.Close()

	resp, err := http.Post("http://"+ln.Addr().String()+"/leads", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(out, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return nil
}
