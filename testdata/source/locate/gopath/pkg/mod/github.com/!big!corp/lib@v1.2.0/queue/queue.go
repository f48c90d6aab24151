package queue

var items = make(chan int, 1)

func Push(n int) { items <- n }
