// Command k8s-strict checks rendered Kubernetes objects against the Kubernetes API types, offline.
//
// It reads a YAML stream (the output of `helm template`) on stdin and decodes every object of a
// built-in kind strictly into its Go API type from k8s.io/api, the types the API server itself
// decodes into: an unknown or misspelt field, a duplicate field or a value of the wrong type is an
// error. Objects of other kinds (custom resources) are reported as SKIP. One line per object:
// "OK|INVALID|SKIP <apiVersion> <kind> <name>[: reason]". Exit status 1 when any is INVALID.
//
// The kubeconform way needs JSON schemas downloaded from GitHub; this needs only Go modules.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
	sigsyaml "sigs.k8s.io/yaml"
)

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

func main() {
	strict := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme.Scheme, scheme.Scheme,
		json.SerializerOptions{Yaml: true, Strict: true})
	reader := yaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	invalid := 0
	for {
		document, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "k8s-strict: reading the YAML stream: %v\n", err)
			os.Exit(2)
		}
		var h header
		if err := sigsyaml.Unmarshal(document, &h); err != nil {
			fmt.Printf("INVALID ? ? ?: not a YAML object: %v\n", err)
			invalid++
			continue
		}
		if h.Kind == "" {
			continue // an empty document between separators
		}
		id := fmt.Sprintf("%s %s %s", h.APIVersion, h.Kind, h.Metadata.Name)
		if !scheme.Scheme.Recognizes(schema.FromAPIVersionAndKind(h.APIVersion, h.Kind)) {
			fmt.Printf("SKIP %s\n", id)
			continue
		}
		if _, _, err := strict.Decode(document, nil, nil); err != nil {
			fmt.Printf("INVALID %s: %v\n", id, err)
			invalid++
			continue
		}
		fmt.Printf("OK %s\n", id)
	}
	if invalid > 0 {
		os.Exit(1)
	}
}
