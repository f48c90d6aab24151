module example.com/leak-detector

go 1.19
