// A test that never finishes: `go test -timeout 1s` panics with "test timed out" and prints
// the running tests and every goroutine.
package hang

import (
	"sync"
	"testing"
)

func TestHangs(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		ch := make(chan bool)
		<-ch
		wg.Done()
	}()
	wg.Wait()
}
