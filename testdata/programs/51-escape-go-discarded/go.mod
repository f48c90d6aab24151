module example.com/escape-go-discarded

go 1.19
