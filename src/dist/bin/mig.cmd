@echo off
rem mig's launcher for Windows in the release archive (mig-<version>\bin\mig.cmd): the same as
rem bin/mig. Works from any directory, needs only a Java 17+ runtime (JAVA_HOME, else java on the
rem PATH), runs with the same JVM options and passes mig's exit code through.
setlocal
set "MIG_HOME=%~dp0.."

if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" (
  set "MIG_JAVA=%JAVA_HOME%\bin\java.exe"
  goto :found
)
where java >nul 2>&1
if errorlevel 1 goto :nojava
set "MIG_JAVA=java"
:found

rem the major version from java -fullversion: 'openjdk full version "17.0.15+6"', '... "1.8.0_402-b06"'
set "MIG_JMAJOR="
for /f tokens^=2^ delims^=.-_+^" %%j in ('""%MIG_JAVA%" -fullversion 2^>^&1"') do if not defined MIG_JMAJOR set "MIG_JMAJOR=%%j"
if "%MIG_JMAJOR%"=="1" set "MIG_JMAJOR=8"
set "MIG_JNUM="
set /a MIG_JNUM=%MIG_JMAJOR% 2>nul
if not defined MIG_JNUM set "MIG_JNUM=0"
if %MIG_JNUM% LSS 17 goto :oldjava

rem lib\*: mig.jar, its runtime jars and any jar put there; MIG_CLASSPATH: recipe jars or folders,
rem separated by ';' on Windows
set "MIG_CP=%MIG_HOME%\lib\*"
if defined MIG_CLASSPATH set "MIG_CP=%MIG_CP%;%MIG_CLASSPATH%"

"%MIG_JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xms16m %MIG_JAVA_OPTS% -cp "%MIG_CP%" dev.mig.cli.Main %*
endlocal & exit /b %ERRORLEVEL%

rem the messages outside ( ) blocks: a path such as C:\Program Files (x86) would end a block
:nojava
echo mig: no Java found: mig needs a Java 17 or newer runtime; install one and put its bin folder on the PATH, or set JAVA_HOME 1>&2
exit /b 2
:oldjava
echo mig: %MIG_JAVA% is Java %MIG_JMAJOR%; mig needs Java 17 or newer: install one and put it on the PATH, or set JAVA_HOME to it 1>&2
exit /b 2
