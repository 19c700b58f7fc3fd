//go:build ignore

// gen.go re-creates the sample export in data/ from the generator's fixed
// seed: `go generate ./crm/sample` (or `go run gen.go` in this directory).
package main

import (
	"log"
	"os"
	"path/filepath"

	"github.com/revalign/revalign/crm/sample/internal/gen"
)

func main() {
	files, err := gen.Generate()
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join("data", f.Name), f.Data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
