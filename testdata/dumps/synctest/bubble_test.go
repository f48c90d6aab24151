// A synctest bubble whose goroutines all block: the test's panic lists them with
// `, synctest bubble N` and the `(durable)` waits that synctest counts as idle.
package bubble

import (
	"sync"
	"testing"
	"testing/synctest"
)

func TestStuckBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		cond := sync.NewCond(&mu)
		results := make(chan int)
		go func() {
			mu.Lock()
			cond.Wait() // nobody signals
			mu.Unlock()
		}()
		go func() {
			results <- 1 // nobody receives
		}()
		var wg sync.WaitGroup
		wg.Add(1)
		wg.Wait() // nobody calls Done
	})
}
