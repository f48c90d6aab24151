module example.com/composite-literal

go 1.19
