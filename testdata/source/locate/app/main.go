package main

import (
	"github.com/BigCorp/lib/queue"

	"example.org/vend/q"
	"github.com/acme/app/netsync"
)

func main() {
	m := netsync.New()
	m.Run()
	queue.Push(1)
	q.Wait()
}
