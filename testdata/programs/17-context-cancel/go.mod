module example.com/context-cancel

go 1.19
