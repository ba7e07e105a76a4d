package io.graylight.cli;
public class GraylightCli { public static void main(String[] a) {} }
