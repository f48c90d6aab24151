module example.com/escape-errc-return

go 1.19
