//go:build ignore

// gen.go re-creates the sample export in data/ from the generator's fixed
// seed: `go generate ./crm/sample` (or `go run gen.go` in this directory).
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/revalign/revalign/crm/sample/internal/gen"
)

func main() {
	seed := flag.Uint64("seed", gen.Seed, "seed (the shipped data uses the default)")
	dir := flag.String("dir", "data", "directory to write the files to")
	flag.Parse()
	files, err := gen.GenerateSeed(*seed)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(*dir, f.Name), f.Data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
